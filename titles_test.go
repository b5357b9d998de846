package lianluo_test

import (
	"testing"

	"lianluo"
)

func TestLeaderTitle(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{"霞浦镇人大主席团", "主席或副主席"},
		{"大碶街道人大工委", "主任或副主任"},
		{"大碶街道人大工作委员会", "主任或副主任"},
		{"北仑区人大常委会", "主任或副主任"},
		{"宁波市人大常务委员会", "主任或副主任"},
		{"白峰镇人大", "主席或副主席"},
		{"梅山乡人大", "主席或副主席"},
		{"保税区人大工作联络处", "主任或副主任"},
	} {
		if got := lianluo.LeaderTitle(tt.body); got != tt.want {
			t.Errorf("LeaderTitle(%q) = %q; want %q", tt.body, got, tt.want)
		}
	}
}

func TestSeatName(t *testing.T) {
	beilun := []*lianluo.Region{
		{Code: "33", Name: "浙江省", Level: lianluo.LevelProvince},
		{Code: "3302", Name: "宁波市", Level: lianluo.LevelCity},
		{Code: "330206", Name: "北仑区", Level: lianluo.LevelCounty},
		{Code: "330206004", Name: "大碶街道", Level: lianluo.LevelTown},
	}
	xiangshan := []*lianluo.Region{
		{Code: "3302", Name: "宁波市", Level: lianluo.LevelCity},
		{Code: "330225", Name: "象山县", Level: lianluo.LevelCounty},
		{Code: "330225100", Name: "石浦镇", Level: lianluo.LevelTown},
	}
	for _, tt := range []struct {
		level string
		path  []*lianluo.Region
		want  string
	}{
		{lianluo.DeputyCounty, beilun, "北仑区人大代表"},
		{lianluo.DeputyCounty, xiangshan, "象山县人大代表"},
		{lianluo.DeputyTownship, xiangshan, "石浦镇人大代表"},
		{lianluo.DeputyCity, beilun, "宁波市人大代表"},
		{lianluo.DeputyProvincial, beilun, "浙江省人大代表"},
		{lianluo.DeputyNational, beilun, "全国人大代表"},
		{lianluo.DeputyCounty, nil, "区县人大代表"},
	} {
		if got := lianluo.SeatName(tt.level, tt.path); got != tt.want {
			t.Errorf("SeatName(%s, %v) = %q; want %q", tt.level, tt.path, got, tt.want)
		}
	}
	seats := []lianluo.Seat{{Level: lianluo.DeputyCity}, {Level: lianluo.DeputyCounty}}
	if got, want := lianluo.SeatsText(seats, beilun), "宁波市人大代表、北仑区人大代表"; got != want {
		t.Errorf("SeatsText = %q; want %q", got, want)
	}
}

func TestCategoryGroups(t *testing.T) {
	id := func(v int64) *int64 { return &v }
	cats := []lianluo.Category{
		{ID: 1, Name: "城乡建设"}, {ID: 2, ParentID: id(1), Name: "道路维修"},
		{ID: 3, Name: "其他"}, {ID: 4, Name: "意见建议"},
	}
	got := lianluo.CategoryGroups(cats)
	if len(got) != 2 || got[0].Name != "城乡建设" || len(got[0].Choices) != 2 ||
		got[0].Choices[1] != (lianluo.CategoryChoice{Value: "城乡建设", Label: "其他城乡建设问题"}) ||
		got[1].Name != "" || len(got[1].Choices) != 2 {
		t.Errorf("CategoryGroups = %+v", got)
	}
}
