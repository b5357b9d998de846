package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The OpenAPI 3 document is generated from the route table and the Go types
// of bodies and responses, so it always says what the server does.

var (
	specOnce sync.Once
	specDoc  map[string]any
)

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) error {
	specOnce.Do(func() { specDoc = buildSpec(h.routes()) })
	return writeJSON(w, http.StatusOK, specDoc)
}

var pathParamRe = regexp.MustCompile(`\{([a-z_]+)\}`)

func buildSpec(routes []route) map[string]any {
	schemas := map[string]any{}
	paths := map[string]any{}
	for _, rt := range routes {
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": strings.ToLower(rt.Method) + strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(rt.Path, "/api/v1"), "/", "_"), "{", ""), "}", ""),
		}
		if !rt.Public {
			op["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"cookie": []string{}}}
		} else {
			op["security"] = []any{}
		}
		var params []any
		for _, m := range pathParamRe.FindAllStringSubmatch(rt.Path, -1) {
			typ := "string"
			if m[1] == "id" {
				typ = "integer"
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": typ}})
		}
		for _, q := range rt.Query {
			typ := "string"
			switch {
			case q == "page" || q == "per_page" || strings.HasSuffix(q, "_id"):
				typ = "integer"
			case q == "active":
				typ = "boolean"
			}
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": typ}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Body), schemas)}}}
		}
		resp := map[string]any{"description": "成功"}
		switch {
		case rt.Produces != "":
			resp["content"] = map[string]any{rt.Produces: map[string]any{"schema": map[string]any{}}}
		case rt.Resp != nil && rt.List:
			props := map[string]any{
				"items": map[string]any{"type": "array", "items": schemaOf(reflect.TypeOf(rt.Resp), schemas)},
				"total": map[string]any{"type": "integer"},
			}
			if rt.Paged {
				props["total"] = map[string]any{"type": "integer", "description": "符合条件的总数，只在本页已到最后时给出"}
				props["has_more"] = map[string]any{"type": "boolean", "description": "后面还有下一页"}
			}
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{
				"type":       "object",
				"properties": props,
			}}}
		case rt.Resp != nil:
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Resp), schemas)}}
		}
		op["responses"] = map[string]any{
			strconv.Itoa(rt.Status): resp,
			"default": map[string]any{"description": "错误", "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	schemas["Error"] = map[string]any{
		"type": "object",
		"properties": map[string]any{"error": map[string]any{
			"type": "object",
			"properties": map[string]any{
				"code":    map[string]any{"type": "string", "description": "invalid, unauthorized, forbidden, not_found, conflict, stale_version, invalid_state, account_locked, rate_limited, too_large, internal"},
				"message": map[string]any{"type": "string", "description": "中文说明"},
				"field":   map[string]any{"type": "string", "description": "出错的字段（400）"},
			},
		}},
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "联络 Lianluo API",
			"version":     "1",
			"description": "人大代表联络站工作平台接口。错误：非2xx状态，{\"error\":{\"code\",\"message\",\"field\"}}；列表：?page=&per_page=（默认20，最多100），返回 {\"items\",\"total\"}。",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": "lianluo_session"},
			},
		},
	}
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf returns the JSON schema of t, registering named structs in schemas.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if _, ok := schemas[name]; !ok && name != "" {
			schemas[name] = map[string]any{} // placeholder against recursion
			props := map[string]any{}
			structProps(t, props, schemas)
			schemas[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// structProps adds the JSON properties of struct type t to props; the
// fields of an embedded struct without a JSON name are its own, as
// encoding/json flattens them.
func structProps(t reflect.Type, props, schemas map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			structProps(f.Type, props, schemas)
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		props[tag] = schemaOf(f.Type, schemas)
	}
}
