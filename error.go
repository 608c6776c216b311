package briefbot

import (
	"errors"
	"fmt"
)

// Code is the kind of an error: what the caller can do about it.
type Code string

// Error codes. Every error the vocabulary, a storage engine or the bot returns to a
// caller carries one of them; bot/ is the one place that turns a code into a chat reply.
const (
	EINVALID   Code = "invalid"     // the input breaks a rule; the message says which
	ENOTFOUND  Code = "not_found"   // no such matter (or one the caller may not know of)
	EFORBIDDEN Code = "forbidden"   // the caller may not do this
	ECONFLICT  Code = "conflict"    // the state of things does not allow this now
	EUNAVAIL   Code = "unavailable" // the ledger cannot be reached now; nothing was changed
	EINTERNAL  Code = "internal"    // our fault; logged with context, shown as an apology
)

// Reason is the stable, machine-readable detail of an error: callers compare reasons,
// never messages.
type Reason string

// Reasons. Each names one rule or one state; the message says it to the user.
const (
	ReasonInternal           Reason = "internal"
	ReasonIllegalTransition  Reason = "illegal_transition"  // the state machine has no such step from here
	ReasonClassified         Reason = "classified"          // a classification marking in the text
	ReasonTooLong            Reason = "too_long"            // a text over its limit
	ReasonMissing            Reason = "missing"             // a required text is empty
	ReasonActorRequired      Reason = "actor_required"      // a step names no actor
	ReasonTimeRequired       Reason = "time_required"       // a step has no time
	ReasonBadDeadline        Reason = "bad_deadline"        // a deadline not after the current one (or now)
	ReasonLeadAssisting      Reason = "lead_assisting"      // the lead unit also listed as assisting
	ReasonUnknownDepartment  Reason = "unknown_department"  // a department not in the org config
	ReasonNoSuchInstruction  Reason = "no_such_instruction" // a correction of an instruction that does not exist
	ReasonExtensionPending   Reason = "extension_pending"   // an extension request awaits its decision
	ReasonNoPendingExtension Reason = "no_pending_extension"
	ReasonAlreadyActed       Reason = "already_acted" // a leader marks read what they already read or instructed
	ReasonNotAllowed         Reason = "not_allowed"   // the actor may not take this step
	ReasonNotFound           Reason = "no_matter"     // no such matter, or one the asker may not know of
	ReasonBadNumber          Reason = "bad_number"    // not a ledger number
	ReasonNoFirstReport      Reason = "no_first_report"
	ReasonNoRelated          Reason = "no_related"
	ReasonIntake             Reason = "intake"   // the intake rules refused a submission (see Fields)
	ReasonKind               Reason = "kind"     // no valid kind
	ReasonFile               Reason = "file"     // an attached file refused: its name, type or size, or it could not be fetched
	ReasonNotHead            Reason = "not_head" // submitting for a department one does not head
	ReasonNotNew             Reason = "not_new"  // storing again a matter already stored
	ReasonDeliveryClaimed    Reason = "delivery_claimed"
	ReasonIssueTaken         Reason = "issue_taken"    // a briefing's issue number taken meanwhile: compose again
	ReasonEmptyDispatch      Reason = "empty_dispatch" // a dispatch with nothing to send
	ReasonNoDispatch         Reason = "no_dispatch"
	ReasonNotAwaiting        Reason = "not_awaiting" // approving a briefing that does not await approval
	ReasonNoPart             Reason = "no_part"
	ReasonEmptyQuery         Reason = "empty_query"
	ReasonShortQuery         Reason = "short_query" // a search word of one Chinese character
	ReasonInvariant          Reason = "invariant"   // a stored matter the state machine cannot reach
	ReasonStoreClosed        Reason = "store_closed"
	ReasonReadOnly           Reason = "read_only"
	ReasonStoreLocked        Reason = "store_locked"       // the data file is held by another process
	ReasonNoStore            Reason = "no_store"           // no data file
	ReasonEmptyFile          Reason = "empty_file"         // a data file of 0 bytes
	ReasonCorruptFile        Reason = "corrupt_file"       // a data file whose header does not read
	ReasonTruncatedFile      Reason = "truncated_file"     // a data file shorter than its own records
	ReasonInterrupted        Reason = "interrupted"        // a restore or compaction left half-done
	ReasonBackupExists       Reason = "backup_exists"      // a backup would overwrite a file
	ReasonBackupPlace        Reason = "backup_place"       // a backup outside the place configured for them
	ReasonBadAnchor          Reason = "bad_anchor"         // an audit anchor that does not read
	ReasonAlreadySigned      Reason = "already_signed"     // a sign-off of a matter signed off already
	ReasonStoreUnavailable   Reason = "store_unavailable"  // the replicated store has no quorum or cannot be reached
	ReasonNotEmpty           Reason = "not_empty"          // a copy's target already holds a ledger
	ReasonConversationMoved  Reason = "conversation_moved" // a DM conversation was carried on elsewhere meanwhile
	ReasonSchemaNewer        Reason = "schema_newer"
	ReasonSchemaOlder        Reason = "schema_older"
	ReasonBadBackup          Reason = "bad_backup"
	ReasonBackupSelf         Reason = "backup_self"
	ReasonConfig             Reason = "config"
	ReasonCalendar           Reason = "calendar"
	ReasonSchedule           Reason = "schedule"
	ReasonNoReload           Reason = "no_reload"
)

// Error is the one error type of briefbot. Code says what kind of error it is; Reason
// is its stable machine-readable detail; Msg is the sentence shown to the user. Fields
// carries per-field problems found at intake, so a form can show each one next to its
// field. Op names the operation that failed, for internal errors.
//
// Messages never quote user text that was refused for carrying a classification
// marking: an Error is safe to log and to show.
type Error struct {
	Code   Code
	Reason Reason
	Msg    Text
	Fields []FieldError
	Op     string
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
		s += " reason=" + string(e.Reason)
	}
	if e.Op != "" {
		s += " op=" + e.Op
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
func Errorf(code Code, reason Reason, msg Text) *Error {
	return &Error{Code: code, Reason: reason, Msg: msg}
}

// FieldErrorf returns an EINVALID Error whose one problem is tied to field.
func FieldErrorf(reason Reason, field string, msg Text) *Error {
	return &Error{Code: EINVALID, Reason: reason, Msg: msg, Fields: []FieldError{{Field: field, Msg: msg}}}
}

// Internal wraps a low-level error as an internal error. The cause is kept for logs
// and never shown to users.
func Internal(op string, err error) *Error {
	return &Error{Code: EINTERNAL, Reason: ReasonInternal, Op: op, Msg: msgInternal, Err: err}
}

// ErrorCode returns the code of err: the Code of a wrapped *Error, "" for nil, and
// EINTERNAL for anything else.
func ErrorCode(err error) Code {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorReason returns the Reason of a wrapped *Error, or "".
func ErrorReason(err error) Reason {
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
