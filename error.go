package briefbot

import (
	"errors"
	"fmt"
)

// Error codes. Every error the vocabulary, the store or the bot returns to a caller
// carries one of them; bot/ is the one place that turns a code into a chat reply.
const (
	EINVALID   = "invalid"   // the input breaks a rule; the message says which
	ENOTFOUND  = "not_found" // no such matter (or one the caller may not know of)
	EFORBIDDEN = "forbidden" // the caller may not do this
	ECONFLICT  = "conflict"  // the matter's state does not allow this now
	EINTERNAL  = "internal"  // our fault; logged with context, shown as an apology
)

// Error is the one error type of briefbot. Code is one of the E* constants; Reason is a
// stable machine-readable detail (for example "illegal_transition" or "classified");
// Msg is the sentence shown to the user. Fields carries per-field problems found at
// intake, so a form can show each one next to its field.
//
// Messages never quote user text that was refused for carrying a classification
// marking: an Error is safe to log and to show.
type Error struct {
	Code   string
	Reason string
	Msg    Text
	Fields []FieldError
	Err    error // the low-level cause, for internal errors; never shown to users
}

// FieldError is one intake problem tied to a field of the matter.
type FieldError struct {
	Field string // a Field* name, e.g. FieldTitle
	Msg   Text
}

// Error implements the error interface, in English for logs.
func (e *Error) Error() string {
	s := fmt.Sprintf("briefbot error: code=%s", e.Code)
	if e.Reason != "" {
		s += " reason=" + e.Reason
	}
	if m := e.Msg.In(LangEN); m != "" {
		s += " message=" + m
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the low-level cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code, reason and bilingual message.
func Errorf(code, reason string, msg Text) *Error {
	return &Error{Code: code, Reason: reason, Msg: msg}
}

// Internal wraps a low-level error as an internal error. The cause is kept for logs
// and never shown to users.
func Internal(op string, err error) *Error {
	return &Error{Code: EINTERNAL, Reason: op, Msg: msgInternal, Err: err}
}

// ErrorCode returns the code of err: the Code of a wrapped *Error, "" for nil, and
// EINTERNAL for anything else.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorReason returns the Reason of a wrapped *Error, or "".
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// ErrorMessage returns the user-facing message of err in lang. Internal errors and
// errors that are not *Error become a short apology: their details are for logs only.
func ErrorMessage(err error, lang Lang) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Msg.In(lang)
	}
	return msgInternal.In(lang)
}

// ErrorFields returns the per-field problems of err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
