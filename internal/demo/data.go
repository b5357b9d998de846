package demo

import "lianluo"

// The fixed part of the demo: the bodies, units and stations of 北仑区 and
// the seats of the deputies at each station. Places are real (region codes
// and names come from the vendored data); people and numbers are made up.

const (
	district     = "330206"
	city         = "3302"
	cityBody     = "宁波市人大常委会"
	districtBody = "北仑区人大常委会"

	// Password is the password of every demo account.
	Password = "Lianluo@2026"
)

// Terms (届次) current in 2026.
var terms = map[string]int{
	lianluo.DeputyNational:   14, // 全国第十四届
	lianluo.DeputyProvincial: 14, // 省第十四届
	lianluo.DeputyCity:       16, // 市第十六届
	lianluo.DeputyCounty:     18, // 区第十八届
}

// Higher-level deputies are elected by the congress below, not in a
// constituency: their 选区 is the delegation they were elected in.
var delegations = map[string]string{
	lianluo.DeputyNational:   "浙江省代表团",
	lianluo.DeputyProvincial: "宁波市代表团",
	lianluo.DeputyCity:       "北仑区代表团",
}

// unitSpec is a handling unit (承办单位).
type unitSpec struct{ name, region string }

var units = []unitSpec{
	{"北仑区住房和城乡建设局", district},
	{"北仑区交通运输局", district},
	{"北仑区民政局", district},
	{"北仑区教育局", district},
	{"北仑区卫生健康局", district},
	{"北仑区人力资源和社会保障局", district},
	{"北仑区市场监督管理局", district},
	{"宁波市自然资源和规划局北仑分局", district},
	{"宁波市生态环境局北仑分局", district},
	{"北仑区综合行政执法局", district},
	{"北仑区农业农村局", district},
	{"北仑区水利局", district},
	{"宁波市公安局北仑分局", district},
	{"大碶街道办事处", "330206004"},
	{"新碶街道办事处", "330206002"},
}

// slot is one deputy at a station: the levels held ("N" national, "P"
// provincial, "C" city, "X" county, in any combination) and, for a 领导干部
// 代表, their post.
type slot struct {
	seats string
	post  string
}

// county returns n ordinary county (区) deputies.
func county(n int) []slot {
	s := make([]slot, n)
	for i := range s {
		s[i] = slot{seats: "X"}
	}
	return s
}

func slots(lead []slot, n int) []slot { return append(lead, county(n)...) }

// stationSpec is a station and the deputies elected around it. A village
// station's name and address come from its village in the region data;
// fromCenter lists slots of the town's center station whose deputies also
// serve here (001: new and experienced, city and county deputies
// receive together).
type stationSpec struct {
	kind       string
	town       string // 9-digit code; the station's managing body is this town's
	village    string // 12-digit code of a village station
	name       string // center and home stations
	address    string
	hours      string
	slots      []slot
	fromCenter []int
}

const (
	centerHours  = "周一至周五 8:30–17:00；每月15日上午代表接待日"
	villageHours = "每周三下午 14:00–17:00；每单月15日上午代表接待日"
	homeHours    = "周一至周六 8:30–17:00；每月第一个周五上午代表接待日"
)

// stations: centers carry 2–3 city and 5+ county deputies (002); every
// station at least 2 (001). 80 deputies in all.
var stations = []stationSpec{
	{
		kind: lianluo.StationCenter, town: "330206004", name: "大碶街道人大代表中心联络站",
		address: "北仑区大碶街道太河路188号", hours: centerHours,
		slots: slots([]slot{{"PX", "大碶街道党工委书记"}, {"CX", "北仑区人大常委会副主任"}, {"CX", ""}, {"C", ""}}, 6),
	},
	{kind: lianluo.StationVillage, town: "330206004", village: "330206004004", hours: villageHours, slots: county(6), fromCenter: []int{2, 4}},
	{kind: lianluo.StationVillage, town: "330206004", village: "330206004245", hours: villageHours, slots: county(6), fromCenter: []int{3, 5}},
	{
		kind: lianluo.StationCenter, town: "330206002", name: "新碶街道人大代表中心联络站",
		address: "北仑区新碶街道明州路699号", hours: centerHours,
		slots: slots([]slot{{"N", ""}, {"CX", "新碶街道党工委书记"}, {"CX", "北仑区教育局局长"}, {"C", ""}}, 6),
	},
	{kind: lianluo.StationVillage, town: "330206002", village: "330206002006", hours: villageHours, slots: county(6), fromCenter: []int{0, 4}},
	{
		kind: lianluo.StationCenter, town: "330206003", name: "小港街道人大代表中心联络站",
		address: "北仑区小港街道渡口南路318号", hours: centerHours,
		slots: slots([]slot{{"CX", "小港街道党工委书记"}, {"CX", "北仑区卫生健康局局长"}, {"C", ""}}, 7),
	},
	{kind: lianluo.StationVillage, town: "330206003", village: "330206003011", hours: villageHours, slots: county(6), fromCenter: []int{2, 3}},
	{
		kind: lianluo.StationCenter, town: "330206006", name: "柴桥街道人大代表中心联络站",
		address: "北仑区柴桥街道芦山路101号", hours: centerHours,
		slots: slots([]slot{{"PX", "柴桥街道党工委书记"}, {"CX", ""}, {"CX", "北仑区农业农村局局长"}}, 7),
	},
	{kind: lianluo.StationVillage, town: "330206005", village: "330206005004", hours: villageHours, slots: slots([]slot{{"PX", ""}, {"C", "霞浦街道党工委书记"}}, 6)},
	{
		kind: lianluo.StationHome, town: "330206008", name: "春晓街道人大代表之家",
		address: "北仑区春晓街道春晓大道88号", hours: homeHours,
		slots: slots([]slot{{"CX", "春晓街道党工委书记"}}, 7),
	},
}

// firstConstituency numbers the county constituencies (选区) of each town
// with a station; two deputies are elected in each.
var firstConstituency = map[string]int{
	"330206004": 1, "330206002": 21, "330206003": 41, "330206006": 56, "330206005": 71, "330206008": 81,
}

// The town whose accounts the demo prints: its center station gets the
// station head, liaison and deputy accounts, its body the town office.
const demoTown = "330206004"
