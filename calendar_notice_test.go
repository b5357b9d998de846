package lianluo_test

import (
	"strings"
	"testing"

	"lianluo"
)

func TestParseCalendarText(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // CalendarText of the result
	}{
		{"a range with a make-up day", "一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月9日（周六）上班。",
			"2027-01-01 放假 元旦\n2027-01-02 放假 元旦\n2027-01-03 放假 元旦\n2027-01-09 上班 元旦\n"},
		{"a range across months", "五、端午节：5月31日（周一）至6月2日（周三）放假，共3天。",
			"2027-05-31 放假 端午节\n2027-06-01 放假 端午节\n2027-06-02 放假 端午节\n"},
		{"with the weekend", "端午节：6月11日放假，与周末连休。",
			"2027-06-11 放假 端午节\n2027-06-12 放假 端午节\n2027-06-13 放假 端午节\n"},
		{"one day, no 调休", "一、元旦：1月1日（周五）放假1天，不调休。", "2027-01-01 放假 元旦\n"},
		{"two make-up days", "春节：2月6日至12日放假调休，共7天。2月6日（周六）上班。",
			""}, // 2月6日 both off and worked: error below
		{"lines by date, full-width digits", "２０２７-10-01 放假 国庆节\n2027年10月9日 上班 国庆节",
			"2027-10-01 放假 国庆节\n2027-10-09 上班 国庆节\n"},
		{"preamble and closing skipped", "国务院办公厅关于2027年部分节假日安排的通知\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n经国务院批准，现将2027年元旦放假调休日期的具体安排通知如下。\n一、元旦：1月1日放假。\n国务院办公厅\n2026年11月4日",
			"2027-01-01 放假 元旦\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := lianluo.ParseCalendarText(2027, tt.text)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseCalendarText(%q) = %v; want an error", tt.text, days)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCalendarText(%q) = %v", tt.text, err)
			}
			if got := lianluo.CalendarText(days); got != tt.want {
				t.Errorf("ParseCalendarText(%q) =\n%s\nwant\n%s", tt.text, got, tt.want)
			}
		})
	}
}

// Bad input is refused with a message naming the line.
func TestParseCalendarTextErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "  \n", "请粘贴"},
		{"nothing to read", "国务院办公厅\n2026年11月4日", "没有读到任何"},
		{"no such date", "一、元旦：1月1日放假。\n二、春节：2月30日至3月5日放假调休，共7天。", "第2行“二、春节：2月30日至3月5日放假调休，共7天。”：2027年没有2月30日。"},
		{"count disagrees", "七、国庆节：10月1日至7日放假调休，共8天。", "第1行“七、国庆节：10月1日至7日放假调休，共8天。”：10月1日至10月7日是7天，通知写的是共8天，请核对。"},
		{"make-up day on a weekday", "\n国庆节：10月1日至7日放假调休，共7天。9月29日（周三）上班。", "第2行“国庆节：10月1日至7日放假调休，共7天。9月29日（周三）上班。”：调休上班日应为星期六或星期日，该日是星期三。"},
		{"date twice", "元旦：1月1日放假。\n2027-01-01 放假 元旦", "第2行“2027-01-01 放假 元旦”：1月1日已在第1行出现过。"},
		{"other year", "2026-10-01 放假 国庆节", "日期不在2027年"},
		{"unknown kind", "2027-10-01 值班 国庆节", "“值班”应为“放假”或“上班”"},
		{"no name", "2027-10-01 放假", "请在日期"},
		{"no heading", "10月1日至7日放假调休", "第1行“10月1日至7日放假调休”：读不懂"},
		{"neither", "国庆节：10月1日至7日。", "没有说放假还是上班"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := lianluo.ParseCalendarText(2027, tt.text)
			if err == nil {
				t.Fatalf("ParseCalendarText(%q) = %v; want error containing %q", tt.text, days, tt.want)
			}
			if got := lianluo.ErrorMessage(err); !strings.Contains(got, tt.want) || lianluo.ErrorField(err) != "text" {
				t.Errorf("ParseCalendarText(%q) error = %s %q; want text %q", tt.text, lianluo.ErrorField(err), got, tt.want)
			}
		})
	}
}

func TestCalendarVersion(t *testing.T) {
	a := []lianluo.CalendarDay{{Date: "2027-01-01", Kind: lianluo.DayHoliday, Name: "元旦"}, {Date: "2027-10-01", Kind: lianluo.DayHoliday, Name: "国庆节"}}
	b := []lianluo.CalendarDay{a[1], a[0]}
	c := []lianluo.CalendarDay{a[0]}
	if lianluo.CalendarVersion(a) != lianluo.CalendarVersion(b) {
		t.Error("CalendarVersion depends on order")
	}
	if lianluo.CalendarVersion(a) == lianluo.CalendarVersion(c) {
		t.Error("CalendarVersion(a) == CalendarVersion(c) for different days")
	}
}
