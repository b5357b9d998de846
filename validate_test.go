package lianluo_test

import (
	"strings"
	"testing"

	"lianluo"
)

func TestValidIDNumber(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"110105194912310021", false}, // wrong check digit
		{"1101051949123100", false},
		{"11010519491231002A", false},
		{"", false},
	} {
		if got := lianluo.ValidIDNumber(tc.id); got != tc.want {
			t.Errorf("ValidIDNumber(%q) = %v; want %v", tc.id, got, tc.want)
		}
	}
}

func TestValidPhone(t *testing.T) {
	for _, tc := range []struct {
		phone string
		want  bool
	}{
		{"13912345678", true},
		{"19912345678", true},
		{"12912345678", false},
		{"1391234567", false},
		{"0574-86861234", true},
		{"057486861234", true},
		{"010-12345678-801", true},
		{"86861234", false},
		{"phone", false},
	} {
		if got := lianluo.ValidPhone(tc.phone); got != tc.want {
			t.Errorf("ValidPhone(%q) = %v; want %v", tc.phone, got, tc.want)
		}
	}
}

func TestMasks(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{lianluo.MaskPhone("13812341234"), "138****1234"},
		{lianluo.MaskPhone("0574-86861234"), "057******1234"},
		{lianluo.MaskPhone("123"), "***"},
		{lianluo.MaskName("张三"), "张*"},
		{lianluo.MaskName("王建国"), "王**"},
		{lianluo.MaskName("欧阳娜娜"), "欧阳**"},
		{lianluo.MaskName("张"), "*"},
		{lianluo.MaskIDNumber("11010519491231002X"), "**************002X"},
		{lianluo.MaskPhonesIn("短信发送失败：13812341234 无效，12812341234 不是手机"), "短信发送失败：138****1234 无效，12812341234 不是手机"},
	} {
		if tc.got != tc.want {
			t.Errorf("mask = %q; want %q", tc.got, tc.want)
		}
	}
}

func TestNormalizeRegionCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"330206", "330206"},
		{"330206000000", "330206"},
		{"330206004000", "330206004"},
		{"330206004002", "330206004002"},
		{"330000000000", "33"},
		{" 3302 ", "3302"},
		{"33020", ""},
		{"abc", ""},
		{"3302060040021", ""},
	} {
		if got := lianluo.NormalizeRegionCode(tc.in); got != tc.want {
			t.Errorf("NormalizeRegionCode(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestScopeInRegion(t *testing.T) {
	s := lianluo.Scope{Regions: []string{"330206004"}}
	for _, tc := range []struct {
		code string
		want bool
	}{
		{"330206004", true},
		{"330206004002", true},
		{"330206003", false},
		{"330206", false},
	} {
		if got := s.InRegion(tc.code); got != tc.want {
			t.Errorf("InRegion(%q) = %v; want %v", tc.code, got, tc.want)
		}
	}
	if !(lianluo.Scope{All: true}).InRegion("11") {
		t.Error("All scope excludes a region")
	}
}

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[string]int{
		lianluo.EINVALID: 400, lianluo.EUNAUTHORIZED: 401, lianluo.EFORBIDDEN: 403, lianluo.ENOTFOUND: 404,
		lianluo.ESTALE: 409, lianluo.ESTATE: 409, lianluo.ELOCKED: 423, lianluo.ETOOMANY: 429, lianluo.EINTERNAL: 500,
	} {
		if got := lianluo.HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%s) = %d; want %d", code, got, want)
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"张三 反映：路灯不亮", true},
		{"\ufffd is a character", true},
		{"a\x00b", false},
		{"\x00", false},
		{"abc\xff", false},
		{"\xe4\xb8", false},     // a cut-off 中
		{"\xed\xa0\x80", false}, // a surrogate half
	} {
		err := lianluo.CheckText("title", tc.s)
		if got := err == nil; got != tc.want || lianluo.ValidText(tc.s) != tc.want {
			t.Errorf("CheckText(%q) = %v; want ok %v", tc.s, err, tc.want)
			continue
		}
		if err != nil && (lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "title" ||
			!strings.Contains(lianluo.ErrorMessage(err), "“title”")) {
			t.Errorf("CheckText(%q) = %v; want an invalid error naming title", tc.s, err)
		}
	}
}
