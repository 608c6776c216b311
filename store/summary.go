package store

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/jsonscan"
)

// summaryKeys are the JSON keys of a matter's record that its Summary holds.
var summaryKeys = func() map[string]bool {
	keys := map[string]bool{}
	for _, k := range []string{"id", "number", "kind", "report_type", "title", "department", "submitter",
		"unsigned", "urgency", "addressee", "copied", "answer_by", "restricted", "skipped_body",
		"status", "submitted_at", "assignment"} {
		keys[k] = true
	}
	return keys
}()

// summarize reads the Summary of the matter whose record is rec: of a compact record
// (record.go) by summaryCompact; of a JSON record (written before schema 6) without
// decoding the rest of it: one pass over the record finds the summary's members and skips the
// others (the body, the history, the texts of 批示 and feedback: most of the bytes).
// Its plain strings, numbers and times are read directly, anything else by
// encoding/json, each as decode would read it. A record the pass cannot follow is
// decoded whole.
func summarize(rec []byte) (*briefbot.Summary, error) {
	if len(rec) > 0 && rec[0] == recordCompact {
		return summaryCompact(rec[1:])
	}
	var s briefbot.Summary
	if eachMember(rec, func(key, v []byte) bool {
		return !summaryKeys[string(key)] || setMember(&s, string(key), v)
	}) {
		return &s, nil
	}
	m, err := decode(rec)
	if err != nil {
		return nil, err
	}
	return m.Summary(), nil
}

// setMember sets the member of s whose JSON key is key from its value v; false if v is
// not what the member holds.
func setMember(s *briefbot.Summary, key string, v []byte) bool {
	switch key {
	case "id":
		n, err := strconv.ParseUint(string(v), 10, 64)
		s.ID = n
		return err == nil
	case "number":
		str, ok := plainString(v)
		return ok && s.Number.UnmarshalText(str) == nil
	case "unsigned":
		s.Unsigned = string(v) == "true"
		return s.Unsigned || string(v) == "false"
	case "answer_by":
		return s.AnswerBy.UnmarshalJSON(v) == nil
	case "submitted_at":
		return s.SubmittedAt.UnmarshalJSON(v) == nil
	case "copied":
		return json.Unmarshal(v, &s.Copied) == nil
	case "restricted":
		return json.Unmarshal(v, &s.Restricted) == nil
	case "assignment":
		return json.Unmarshal(v, &s.Assignment) == nil
	}
	str, ok := plainString(v)
	if !ok { // escapes to undo: encoding/json reads it
		var x string
		if json.Unmarshal(v, &x) != nil {
			return false
		}
		str = []byte(x)
	}
	switch key {
	case "kind":
		s.Kind = briefbot.Kind(str)
	case "report_type":
		s.ReportType = briefbot.ReportType(str)
	case "title":
		s.Title = string(str)
	case "department":
		s.Department = briefbot.DepartmentID(str)
	case "submitter":
		s.Submitter = briefbot.MemberID(str)
	case "urgency":
		s.Urgency = briefbot.Urgency(str)
	case "addressee":
		s.Addressee = briefbot.CommitteeID(str)
	case "skipped_body":
		s.SkippedBody = briefbot.CommitteeID(str)
	case "status":
		s.Status = briefbot.Status(str)
	default:
		return false
	}
	return true
}

// plainString returns the contents of the JSON string v if they need no decoding: no
// escapes, no control characters and valid UTF-8 (json.Marshal writes every string so,
// but for its escapes of <, >, &, U+2028 and U+2029, and of quotes and backslashes).
func plainString(v []byte) ([]byte, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, false
	}
	in := v[1 : len(v)-1]
	for _, c := range in {
		if c < 0x20 || c == '\\' || c == '"' {
			return nil, false
		}
	}
	if !utf8.Valid(in) {
		return nil, false
	}
	return in, true
}

// eachMember calls fn with the key and the raw value of each member of the JSON
// object rec, in order, until fn returns false. It reports whether rec is one object
// it could follow to its end and fn accepted every member. It follows nesting and
// strings to find where each value ends; it does not validate the values it skips.
func eachMember(rec []byte, fn func(key, value []byte) bool) bool {
	i := jsonscan.Space(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return false
	}
	i = jsonscan.Space(rec, i+1)
	if i < len(rec) && rec[i] == '}' {
		return jsonscan.Space(rec, i+1) == len(rec)
	}
	for {
		kEnd, ok := jsonscan.String(rec, i)
		if !ok {
			return false
		}
		key := rec[i+1 : kEnd-1]
		i = jsonscan.Space(rec, kEnd)
		if i >= len(rec) || rec[i] != ':' {
			return false
		}
		vStart := jsonscan.Space(rec, i+1)
		vEnd, ok := jsonscan.Value(rec, vStart)
		if !ok {
			return false
		}
		if bytes.IndexByte(key, '\\') >= 0 || !fn(key, rec[vStart:vEnd]) {
			return false
		}
		i = jsonscan.Space(rec, vEnd)
		if i >= len(rec) {
			return false
		}
		switch rec[i] {
		case ',':
			i = jsonscan.Space(rec, i+1)
		case '}':
			return jsonscan.Space(rec, i+1) == len(rec)
		default:
			return false
		}
	}
}
