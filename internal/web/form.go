package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// formState is what a re-shown form says about the failed submission.
type formState struct {
	Errors    map[string]string // field name (the JSON name) → message next to the field
	Message   string            // summary above the form
	Stale     bool              // the record changed meanwhile: offer a reload
	ReloadURL string
	First     string // the field's message, repeated in the summary…
	Anchor    string // …with a link to it
}

// take records an error a form can show and reports whether it could:
// invalid input (next to its field when the form has it), conflicts and
// stale versions. Other errors (forbidden, not found, internal) go to the
// error page.
func (f *formState) take(err error, fields ...string) bool {
	switch lianluo.ErrorCode(err) {
	case lianluo.EINVALID:
		field, msg := lianluo.ErrorField(err), lianluo.ErrorMessage(err)
		if field != "" && slices.Contains(fields, field) {
			if f.Errors == nil {
				f.Errors = map[string]string{}
			}
			f.Errors[field] = msg
			f.Message = "提交未成功，请修改下面标出的内容后重新提交。"
			f.First, f.Anchor = msg, field+"-error"
		} else {
			f.Message = msg
		}
		return true
	case lianluo.ECONFLICT, lianluo.ESTATE:
		f.Message = lianluo.ErrorMessage(err)
		return true
	case lianluo.ESTALE:
		f.Message = lianluo.ErrorMessage(err)
		f.Stale = true
		return true
	}
	return false
}

// saved answers a form's POST: on success the next page; when the form can
// show what went wrong (take), the form again through reshow; otherwise the
// error page.
func saved(w http.ResponseWriter, r *http.Request, err error, fields []string, reshow func(status int, f formState) error, next string) error {
	if err == nil {
		return redirect(w, r, next)
	}
	var f formState
	if !f.take(err, fields...) {
		return err
	}
	return reshow(f.status(err), f)
}

// setActive answers a registry record's 停用/启用 button (the record's id
// in the path, active and version in the form) and returns to the record's
// page under base with the flash.
func setActive(w http.ResponseWriter, r *http.Request, base string, update func(ctx context.Context, id int64, active bool, version int) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := formVersion(r)
	if err != nil {
		return err
	}
	active := formBool(r, "active")
	if err := update(r.Context(), id, active, v); err != nil {
		return err
	}
	flash := "deactivated"
	if active {
		flash = "activated"
	}
	return redirect(w, r, fmt.Sprintf("%s/%d?ok=%s", base, id, flash))
}

// status is the HTTP status of a re-shown form.
func (f *formState) status(err error) int { return errorStatus(lianluo.ErrorCode(err)) }

// option is one choice of a select box or checkbox list.
type option struct {
	Value    string
	Label    string
	Selected bool
	HasSub   bool // region: the second select offers this region's children
}

type optGroup struct {
	Label   string // "" renders the options without an <optgroup>
	Options []option
}

// namedOptions lists the keys in order with their Chinese names.
func namedOptions[K ~string](keys []K, names map[K]string, selected string) []option {
	out := make([]option, 0, len(keys))
	for _, k := range keys {
		out = append(out, option{Value: string(k), Label: names[k], Selected: string(k) == selected})
	}
	return out
}

// withBlank puts an empty choice first.
func withBlank(label string, opts []option) []option {
	return append([]option{{Value: "", Label: label}}, opts...)
}

// Fields rendered by the "input", "select", "area" and "check" partials.

type inputField struct {
	Name, Label, Value, Error, Hint, Type string
	Required                              bool
	Autocomplete                          string
	Max                                   int // maxlength, 0 for none
}

type selectField struct {
	Name, Label, Error, Hint string
	Required                 bool
	Options                  []option
	Multiple                 bool
}

type checkField struct {
	Name, Label, Error, Hint string
	Checked                  bool
}

func errOf(f formState, name string) string { return f.Errors[name] }

// Template helpers building fields: {{template "input" (text .Form "name" "名称" .Org.Name | required)}}.
func formFuncs() template.FuncMap {
	return template.FuncMap{
		// The purposes of 查看联系方式, for the reveal forms.
		"revealPurposes": func() []option {
			return withBlank("请选择", namedOptions(lianluo.RevealPurposes, lianluo.RevealPurposeNames, ""))
		},
		"text": func(f formState, name, label, value string) inputField {
			return inputField{Name: name, Label: label, Value: value, Error: errOf(f, name), Type: "text"}
		},
		"area": func(f formState, name, label, value string) inputField {
			return inputField{Name: name, Label: label, Value: value, Error: errOf(f, name), Type: "textarea"}
		},
		"sel": func(f formState, name, label string, opts []option) selectField {
			return selectField{Name: name, Label: label, Options: opts, Error: errOf(f, name)}
		},
		"check": func(f formState, name, label string, checked bool) checkField {
			return checkField{Name: name, Label: label, Checked: checked, Error: errOf(f, name)}
		},
		"required": func(x any) any {
			switch v := x.(type) {
			case inputField:
				v.Required = true
				return v
			case selectField:
				v.Required = true
				return v
			}
			return x
		},
		"typ":    func(t string, f inputField) inputField { f.Type = t; return f },
		"auto":   func(s string, f inputField) inputField { f.Autocomplete = s; return f },
		"maxlen": func(n int, f inputField) inputField { f.Max = n; return f },
		"hint": func(h string, x any) any {
			switch v := x.(type) {
			case inputField:
				v.Hint = h
				return v
			case selectField:
				v.Hint = h
				return v
			case checkField:
				v.Hint = h
				return v
			}
			return x
		},
	}
}

// Reading forms.

func formStr(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// formRevealReason reads the purpose and the reason of a reveal form.
func formRevealReason(r *http.Request) lianluo.RevealReason {
	return lianluo.RevealReason{Purpose: lianluo.RevealPurpose(formStr(r, "purpose")), Text: formStr(r, "reason")}
}

func formBool(r *http.Request, name string) bool {
	switch r.PostFormValue(name) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// formID reads an optional record ID from a select box: "" is nil.
func formID(r *http.Request, name, label string) (*int64, error) {
	return parseID(r.PostFormValue(name), name, label)
}

func parseID(s, name, label string) (*int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return nil, lianluo.FieldError(name, "%s的取值无效，请从列表中选择。", label)
	}
	return &id, nil
}

// formIDs reads a list of record IDs (checkboxes, multi-selects).
func formIDs(r *http.Request, name, label string) ([]int64, error) {
	out := []int64{}
	for _, s := range r.PostForm[name] {
		id, err := parseID(s, name, label)
		if err != nil {
			return nil, err
		}
		if id != nil && !slices.Contains(out, *id) {
			out = append(out, *id)
		}
	}
	return out, nil
}

// formVersion reads the hidden version of an edit form.
func formVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || v <= 0 {
		return 0, lianluo.FieldError("version", "表单缺少版本号，请刷新页面后重试。")
	}
	return v, nil
}

// pathID reads {id} from the path; a malformed one is simply not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, lianluo.Errorf(lianluo.ENOTFOUND, "记录不存在或无权查看。")
	}
	return id, nil
}

func idStr(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func ptrOr0(p *int64) *int64 {
	if p == nil {
		return new(int64(0))
	}
	return p
}

func bjTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(lianluo.Beijing).Format("2006-01-02 15:04")
}
