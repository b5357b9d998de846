package sheets_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo"
	"lianluo/internal/sheets"
)

func TestSixOnesWorkbook(t *testing.T) {
	t.Parallel()
	facts := []lianluo.SixOneFact{
		{SixOneEvidence: lianluo.SixOneEvidence{Kind: lianluo.EvidenceDutyRecord, ID: 1, Date: "2026-02-01"}, Sub: "survey", Status: "confirmed"},
		{SixOneEvidence: lianluo.SixOneEvidence{Kind: lianluo.EvidenceDutyRecord, ID: 2, Date: "2026-03-01"}, Sub: "aid", Status: "confirmed"},
	}
	dep := &lianluo.SixOnes{Whose: lianluo.SixOnesDeputy, ID: 1, Name: "王秀英", Year: 2026,
		Items: lianluo.MeasureSixOnes(lianluo.SixOnesDeputy, 2026, facts)}
	grp := &lianluo.SixOnes{Whose: lianluo.SixOnesGroup, ID: 1, Name: "大碶第一代表小组", Year: 2026,
		Items: lianluo.MeasureSixOnes(lianluo.SixOnesGroup, 2026, nil)}
	b, err := sheets.SixOnes("2026年“六个一”完成情况", []*lianluo.SixOnes{dep}, []*lianluo.SixOnes{grp})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct{ sheet, cell, want string }{
		{"代表", "A1", "2026年“六个一”完成情况"},
		{"代表", "B2", "每半年至少参加一次代表小组活动"},
		{"代表", "A3", "王秀英"},
		{"代表", "F3", "已完成（1/1）"}, // aid
		{"代表", "G3", "未完成（1/2）"}, // survey, first half only
		{"代表", "H3", "1/6"},
		{"代表小组", "A3", "大碶第一代表小组"},
		{"代表小组", "B3", "未完成（0/1）"},
	} {
		if got, err := f.GetCellValue(c.sheet, c.cell); err != nil || got != c.want {
			t.Errorf("%s!%s = %q, %v; want %q", c.sheet, c.cell, got, err, c.want)
		}
	}
}
