package web

import (
	"net/http"
	"slices"

	"lianluo"
)

// 通知设置: every user chooses their own channels beyond the in-app
// messages, and gives the e-mail address for the e-mail channel.

type channelChoice struct {
	Value, Label, Hint string
	Checked, Disabled  bool
}

type notifyPrefsPage struct {
	basePage
	P       *lianluo.NotificationPrefs
	Choices []channelChoice
	Email   string
	Form    formState
}

// channelHints say what each channel needs.
var channelHints = map[string]string{
	lianluo.ChannelSMS:      "发到账号登记的手机号。",
	lianluo.ChannelEmail:    "发到下面填写的邮箱。",
	lianluo.ChannelWeCom:    "由本单位企业微信群机器人在群内提醒您，只提示通知类别，不含具体内容。",
	lianluo.ChannelDingTalk: "由本单位钉钉群机器人在群内提醒您，只提示通知类别，不含具体内容。",
}

func (a *app) notifyPrefsPage(r *http.Request, p *lianluo.NotificationPrefs, chosen []string, email string) *notifyPrefsPage {
	pg := &notifyPrefsPage{basePage: basePage{Title: "通知设置", Section: "notify_prefs"}, P: p, Email: email}
	for _, c := range lianluo.ExternalChannels {
		ch := channelChoice{Value: c, Label: lianluo.NotificationChannelNames[c], Hint: channelHints[c],
			Checked: slices.Contains(chosen, c), Disabled: !slices.Contains(p.Available, c)}
		switch {
		case ch.Disabled:
			ch.Hint, ch.Checked = "本系统未开通。", false
		case c == lianluo.ChannelSMS && p.Phone == "":
			ch.Hint = "您的账号未登记手机号，短信发不出去；请联系系统管理员登记。"
		case c == lianluo.ChannelSMS && !p.CanText:
			ch.Hint = "账号登记的是固定电话（" + p.Phone + "），收不到短信；请联系系统管理员改为手机号。"
		case c == lianluo.ChannelSMS:
			ch.Hint = "发到账号登记的手机号 " + p.Phone + "。"
		}
		pg.Choices = append(pg.Choices, ch)
	}
	return pg
}

func (a *app) notifyPrefsForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.svc.NotifyPrefs.NotificationPrefs(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "notify_prefs", a.notifyPrefsPage(r, p, p.Channels, p.Email))
}

func (a *app) notifyPrefsSave(w http.ResponseWriter, r *http.Request) error {
	in := lianluo.NotificationPrefs{Channels: r.PostForm["channels"], Email: r.PostFormValue("email")}
	if in.Channels == nil {
		in.Channels = []string{}
	}
	if _, err := a.svc.NotifyPrefs.UpdateNotificationPrefs(r.Context(), in); err != nil {
		p, perr := a.svc.NotifyPrefs.NotificationPrefs(r.Context())
		if perr != nil {
			return perr
		}
		pg := a.notifyPrefsPage(r, p, in.Channels, in.Email)
		if !pg.Form.take(err, "channels", "email") {
			return err
		}
		return a.render(w, r, pg.Form.status(err), "notify_prefs", pg)
	}
	return redirect(w, r, "/console/notify-prefs?ok=saved")
}
