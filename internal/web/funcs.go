package web

import (
	"html/template"
	"maps"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// funcs are the template functions: the static file addresses, Beijing
// time, masks, and the Chinese names of the vocabulary.
func (a *app) funcs() template.FuncMap {
	m := template.FuncMap{
		"static": a.static.url,
		"bjtime": bjTime,
		"bjtimep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return bjTime(*t)
		},
		"maskPhone":    lianluo.MaskPhone,
		"orgKind":      func(k string) string { return lianluo.OrgKindNames[k] },
		"stationKind":  func(k string) string { return lianluo.StationKindNames[k] },
		"deputyStatus": func(k string) string { return lianluo.DeputyStatusNames[k] },
		"deputyLevel":  func(k string) string { return lianluo.DeputyLevelNames[k] },
		"gender":       func(k string) string { return lianluo.GenderNames[k] },
		"regionLevel":  func(k string) string { return lianluo.LevelNames[k] },
		"roleName":     func(k string) string { return lianluo.RoleNames[k] },
		"entityName":   entityName,
		"actionName":   actionName,
		"rolesText":    lianluo.RolesText,
		"orDash": func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "—"
			}
			return s
		},
		"points": lianluo.FormatPoints,
		"add1":   func(i int) int { return i + 1 },
		"termText": func(n int) string {
			if n <= 0 {
				return ""
			}
			return "第" + chineseNumber(n) + "届"
		},
	}
	maps.Copy(m, formFuncs())
	maps.Copy(m, caseFuncs())
	return m
}

func entityName(k lianluo.AuditEntity) string {
	if n, ok := lianluo.EntityNames[k]; ok {
		return n
	}
	return string(k)
}

func actionName(k lianluo.AuditAction) string {
	if n, ok := lianluo.ActionNames[k]; ok {
		return n
	}
	return string(k)
}

// chineseNumber writes 1–99 the way terms are written: 十八, 二十一.
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		s := "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	case n < 100:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	return strconv.Itoa(n)
}
