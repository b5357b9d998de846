// Package lianluo holds the vocabulary of the deputy liaison station platform
// (人大代表联络站): the domain types, the pure rules that govern them, the
// service interfaces the adapters implement, and the one error type.
//
// It imports nothing of ours; adapters (sqlstore, web, api) depend on it.
package lianluo

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes. Each maps to exactly one HTTP status (HTTPStatus, used by
// the API and the pages alike); the code itself is what API clients see.
const (
	EINVALID      = "invalid"                  // 400: bad input; Field names the offending field
	EUNAUTHORIZED = "unauthorized"             // 401: not logged in, or bad credentials
	EFORBIDDEN    = "forbidden"                // 403: logged in but the role does not allow it
	EPASSWORD     = "password_change_required" // 403: the password must be changed first
	EMFA          = "mfa_enrolment_required"   // 403: the second factor must be turned on first
	ENOTFOUND     = "not_found"                // 404: missing, or outside the caller's scope
	ECONFLICT     = "conflict"                 // 409: duplicate or otherwise conflicting data
	ESTALE        = "stale_version"            // 409: the record changed since the caller read it
	ESTATE        = "invalid_state"            // 409: the action is not allowed in the current state
	ELOCKED       = "account_locked"           // 423: too many failed logins
	ETOOMANY      = "rate_limited"             // 429
	ETOOLARGE     = "too_large"                // 413
	EINTERNAL     = "internal"                 // 500: a bug or an outage; details are logged, not shown
)

// Error is the application error. Message is Simplified Chinese and safe to
// show to users; internal errors are never shown, only logged.
type Error struct {
	Code    string
	Message string
	Field   string // the input field at fault, for EINVALID
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("lianluo error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("lianluo error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an Error with a formatted Chinese message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error naming the field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for others,
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	var re RowErrors
	if err == nil {
		return ""
	} else if errors.As(err, &re) {
		return EINVALID
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of an application error and a
// generic one for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	var re RowErrors
	if err == nil {
		return ""
	} else if errors.As(err, &re) {
		return fmt.Sprintf("导入数据有%d处错误，未导入任何记录。", len(re))
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后再试或联系管理员。"
}

// ErrorField returns the field named by an EINVALID error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// NotFound is the error for a record that is missing or outside the caller's
// scope: both answer the same so that scope does not leak existence.
func NotFound(what string) *Error {
	return Errorf(ENOTFOUND, "%s不存在或无权查看。", what)
}

// Forbidden is the error for an action the caller's roles do not allow.
func Forbidden() *Error {
	return Errorf(EFORBIDDEN, "您没有执行此操作的权限。")
}

// Stale is the error for an update against an old version.
func Stale() *Error {
	return Errorf(ESTALE, "该记录已被他人修改，请刷新后重试。")
}

// CheckVersion refuses a write that names no version of the record (what,
// e.g. 该意见) with a field error on version, and one that names another
// version than current as stale: no write goes through unchecked.
func CheckVersion(what string, version, current int) error {
	if version <= 0 {
		return FieldError("version", "请提供%s的当前版本号（version）。", what)
	}
	if version != current {
		return Stale()
	}
	return nil
}

// Is reports whether err is an application error with the given code.
func Is(err error, code string) bool {
	return ErrorCode(err) == code
}

// HTTPStatus maps an error code to its HTTP status — the one place this is
// decided, for the API and the pages alike.
func HTTPStatus(code string) int {
	switch code {
	case EINVALID:
		return http.StatusBadRequest
	case EUNAUTHORIZED:
		return http.StatusUnauthorized
	case EFORBIDDEN, EPASSWORD, EMFA:
		return http.StatusForbidden
	case ENOTFOUND:
		return http.StatusNotFound
	case ECONFLICT, ESTALE, ESTATE:
		return http.StatusConflict
	case ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case ELOCKED:
		return http.StatusLocked
	case ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
