package api

import (
	"reflect"
	"strings"

	"lianluo"
)

// checkText walks a decoded request body and returns lianluo.CheckText's
// error for the first string that holds a NUL byte or invalid UTF-8 — a
// struct field, slice element, map key or value — naming it by its JSON path
// ("seats.constituency", as encoding/json names fields in its own errors).
func checkText(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.String:
		return lianluo.CheckText(fieldName(path), v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkText(v.Elem(), path)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // []byte: base64 in JSON, bytes to the store
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkText(v.Index(i), path); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if err := checkText(iter.Key(), path); err != nil {
				return err
			}
			key := path
			if iter.Key().Kind() == reflect.String {
				key = join(path, iter.Key().String())
			}
			if err := checkText(iter.Value(), key); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case f.Anonymous && name == "":
				name = path // embedded: its fields are the outer object's
			case name == "":
				name = join(path, f.Name)
			default:
				name = join(path, name)
			}
			if err := checkText(v.Field(i), name); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func fieldName(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
