package lianluo_test

import (
	"testing"

	"lianluo"
)

func TestCheckPublicText(t *testing.T) {
	who := lianluo.Submitter{Name: "王秀英", Phone: "13912340000", Address: "大碶街道坝头社区5幢301室"}
	for _, tc := range []struct {
		name string
		text string
		s    lianluo.Submitter
		want string // the message, "" for accepted
	}{
		{"the unit's answer", "已更换灯具，恢复照明。", who, ""},
		{"full name", "已电话告知王秀英，路灯已修好。", who, "公开内容中含有反映人的姓名“王秀英”，请删除后再公开。"},
		{"given name", "秀英阿姨反映的问题已解决。", who, "公开内容中含有反映人的名字“秀英”，请删除后再公开。"},
		{"one-character given name is not looked for", "三号路灯已修好。", lianluo.Submitter{Name: "张三"}, ""},
		{"two-character name", "已告知张三。", lianluo.Submitter{Name: "张三"}, "公开内容中含有反映人的姓名“张三”，请删除后再公开。"},
		{"compound surname", "晓明反映的问题已解决。", lianluo.Submitter{Name: "欧阳晓明"}, "公开内容中含有反映人的名字“晓明”，请删除后再公开。"},
		{"full phone", "请联系13912340000核实。", who, "公开内容中含有反映人的电话号码，请删除后再公开。"},
		{"phone with spaces", "回电 139 1234 0000。", who, "公开内容中含有反映人的电话号码，请删除后再公开。"},
		{"full-width phone", "电话１３９１２３４００００", who, "公开内容中含有反映人的电话号码，请删除后再公开。"},
		{"seven digits of the phone", "尾号12340000的住户", who, "公开内容中含有反映人的电话号码，请删除后再公开。"},
		{"six digits are not a phone", "编号340000", who, ""},
		{"another number", "如有问题请拨打86881234。", who, ""},
		{"full address", "已到大碶街道坝头社区5幢301室现场查看。", who, "公开内容中含有反映人的住址，请删除后再公开。"},
		{"house number only", "5幢301室楼道灯已修复。", who, "公开内容中含有反映人的住址，请删除后再公开。"},
		{"the community alone is not the address", "坝头社区的路灯已修复。", who, ""},
		{"everything", "王秀英（13912340000，大碶街道坝头社区5幢301室）", who, "公开内容中含有反映人的姓名“王秀英”、电话号码、住址，请删除后再公开。"},
		{"no submitter", "已更换灯具。", lianluo.Submitter{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := lianluo.CheckPublicText("answer", tc.text, tc.s)
			got := ""
			if err != nil {
				got = lianluo.ErrorMessage(err)
				if f := lianluo.ErrorField(err); f != "answer" {
					t.Errorf("field = %q; want answer", f)
				}
			}
			if got != tc.want {
				t.Errorf("CheckPublicText(%q, %+v) = %q; want %q", tc.text, tc.s, got, tc.want)
			}
		})
	}
}

func TestDefaultPublicAnswer(t *testing.T) {
	fed := &lianluo.Case{Outcome: "已电话告知王秀英，路灯已修好。", Reply: &lianluo.Reply{Result: "A", Content: "已更换灯具。"}}
	if got, want := lianluo.DefaultPublicAnswer(fed), "已更换灯具。"; got != want {
		t.Errorf("DefaultPublicAnswer(fed back) = %q; want the unit's answer %q", got, want)
	}
	spot := &lianluo.Case{Outcome: "已当场解释政策。"}
	if got, want := lianluo.DefaultPublicAnswer(spot), "已当场解释政策。"; got != want {
		t.Errorf("DefaultPublicAnswer(answered on the spot) = %q; want %q", got, want)
	}
}

func TestMaskSubmitterIn(t *testing.T) {
	t.Parallel()
	s := lianluo.Submitter{Name: "王秀英", Address: "大碶街道灵岩路12号"}
	for _, tc := range []struct{ in, want string }{
		{"我是王秀英，住大碶街道灵岩路12号，路灯不亮。", "我是王**，住（地址已隐去），路灯不亮。"},
		{"秀英阿姨反映路灯不亮。", "**阿姨反映路灯不亮。"},
		{"小区路灯不亮。", "小区路灯不亮。"},
	} {
		if got := lianluo.MaskSubmitterIn(tc.in, s); got != tc.want {
			t.Errorf("MaskSubmitterIn(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	if got := lianluo.MaskSubmitterIn("张三说好", lianluo.Submitter{Name: "张"}); got != "张三说好" {
		t.Errorf("a one-character name masked text: %q", got)
	}
}
