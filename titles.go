package lianluo

import "strings"

// LeaderTitle is how the leaders of an NPC body are called, from the kind
// of body its name says: a 乡镇人大主席团 has a 主席 and 副主席; a 街道人大工委
// (the district congress's working committee in a street) and a 区人大常委会
// have a 主任 and 副主任. A body named otherwise (人大工作联络处) is read by
// its place: a 乡 or 镇 has its own congress, led by its 主席团.
func LeaderTitle(bodyName string) string {
	switch {
	case strings.Contains(bodyName, "主席团"):
		return "主席或副主席"
	case strings.Contains(bodyName, "工委"), strings.Contains(bodyName, "工作委员会"),
		strings.Contains(bodyName, "常委会"), strings.Contains(bodyName, "常务委员会"):
		return "主任或副主任"
	}
	place := bodyName
	if i := strings.Index(bodyName, "人大"); i >= 0 {
		place = bodyName[:i]
	}
	if strings.HasSuffix(place, "乡") || strings.HasSuffix(place, "镇") {
		return "主席或副主席"
	}
	return "主任或副主任"
}

// SeatName names a deputy level after the region the deputy was elected
// in, as deputies are called: 北仑区人大代表, 宁波市人大代表, 浙江省人大代表,
// 大碶街道…; path is the deputy's region and its ancestors (RegionPath). A
// level whose region is not on the path keeps its general name, with the
// county level named after its kind when known (区人大代表, 县人大代表).
func SeatName(level string, path []*Region) string {
	want := map[string]string{DeputyProvincial: LevelProvince, DeputyCity: LevelCity,
		DeputyCounty: LevelCounty, DeputyTownship: LevelTown}[level]
	if want != "" {
		for _, r := range path {
			if r.Level == want && r.Name != "" {
				return r.Name + "人大代表"
			}
		}
	}
	return DeputyLevelNames[level]
}

// SeatsText renders a deputy's seats named after their regions:
// "宁波市人大代表、北仑区人大代表".
func SeatsText(seats []Seat, path []*Region) string {
	var b strings.Builder
	for i, s := range seats {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(SeatName(s.Level, path))
	}
	return b.String()
}
