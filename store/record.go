package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
)

// A matter's record is written in a compact binary form (schema 6): a first byte of
// recordCompact, then every field of the matter in the order of its type, with
// lengths and integers as varints, times as seconds, nanoseconds and zone offset, and
// each text in UTF-8 or, when shorter (Chinese text: two bytes a character instead of
// three), UTF-16, or as one or two bytes if it is a word of the vocabulary
// (recordWords). A record of a typical matter is about half its JSON. Records
// written before schema 6 are JSON (they start with '{') and are read as such; a
// change writes the compact form. The audit chain commits to the record's bytes as
// stored, whichever form.
//
// Every field of Matter and of the types it holds must be written here:
// TestRecord_EveryField fills each one through reflection and fails on any the round
// trip loses.
const recordCompact = 0x02

// recordWords are the words of the ledger's vocabulary (kinds, statuses, steps,
// urgencies, decisions, file types): a text that is one of them is written as its
// place in this list, one or two bytes, and read back as the list's own string (no
// allocation). The list is part of the format: append to it, never reorder or
// remove. TestRecord_Words checks every value of the vocabulary is in it.
var recordWords = []string{
	// The first 32 take one byte: those nearly every record holds.
	"draft", "sign_off", "signed", "submitted", "returned", "registered", "reviewed", "proposed", "presented",
	"read", "instructed", "referred", "in_progress", "completed", "closed", "archived", "withdrawn",
	"request", "report", "filing",
	"ordinary", "urgent", "extra_urgent",
	"collective", "circulated",
	"submit", "instruct", "refer", "progress", "complete", "close", "special",
	// Two bytes each.
	"periodic", "situation", "priority", "follow_up", "assigned",
	"extension", "completion",
	"pending", "granted", "declined", "accepted",
	"ask_sign_off", "sign", "revise", "resubmit", "withdraw", "register", "return", "review",
	"propose", "present", "request_extension", "grant_extension", "decline_extension",
	"send_back", "archive",
	"pdf", "ofd", "docx", "doc", "wps", "jpg", "jpeg", "png", "tif", "tiff",
}

var recordWordIndex = func() map[string]int {
	ix := make(map[string]int, len(recordWords))
	for i, w := range recordWords {
		if _, dup := ix[w]; !dup {
			ix[w] = i
		}
	}
	return ix
}()

// encode returns m's record.
func encode(m *briefbot.Matter) []byte {
	e := recEncoder{b: make([]byte, 0, 1024)}
	e.b = append(e.b, recordCompact)
	e.uint(m.ID)
	e.number(m.Number)
	e.str(string(m.Kind))
	e.str(string(m.ReportType))
	e.number(m.FollowUpOf)
	e.str(m.Title)
	e.str(m.Body)
	e.str(m.RequestedItem)
	e.str(m.Reasons)
	e.str(m.Recommendation)
	e.str(string(m.Department))
	e.str(string(m.Submitter))
	e.str(string(m.Signatory))
	e.time(m.SignedOn)
	e.bool(m.Delegated)
	e.bool(m.Unsigned)
	e.str(string(m.Decision))
	e.str(string(m.Urgency))
	e.str(string(m.Addressee))
	encodeList(&e, m.Copied, func(c briefbot.CommitteeID) { e.str(string(c)) })
	e.str(m.Category)
	e.time(m.AnswerBy)
	encodeList(&e, m.Related, e.number)
	encodeList(&e, m.Attachments, e.str)
	encodeList(&e, m.Files, func(f briefbot.File) {
		e.str(f.Name)
		e.int(f.Size)
		e.str(f.SHA256)
		e.str(f.Type)
	})
	e.bool(m.Unclassified)
	encodeList(&e, m.Restricted, func(id briefbot.MemberID) { e.str(string(id)) })
	e.bool(m.LevelSkip)
	e.str(m.LevelSkipReason)
	e.str(string(m.SkippedBody))
	e.str(string(m.Status))
	e.int(int64(m.Version))
	e.time(m.CreatedAt)
	e.time(m.UpdatedAt)
	e.time(m.SubmittedAt)
	encodeList(&e, m.Instructions, func(in briefbot.Instruction) {
		e.int(int64(in.ID))
		e.str(string(in.Kind))
		e.str(string(in.Leader))
		e.str(string(in.RecordedBy))
		e.str(in.Text)
		e.time(in.At)
		e.int(int64(in.Corrects))
	})
	if a := m.Assignment; a == nil {
		e.bool(false)
	} else {
		e.bool(true)
		e.str(string(a.Lead))
		encodeList(&e, a.Assisting, func(d briefbot.DepartmentID) { e.str(string(d)) })
		e.time(a.Deadline)
		e.time(a.OriginalDeadline)
		e.str(string(a.By))
		e.time(a.At)
	}
	encodeList(&e, m.Feedback, func(f briefbot.Feedback) {
		e.int(int64(f.ID))
		e.str(string(f.Kind))
		e.str(string(f.Department))
		e.str(string(f.By))
		e.str(f.Text)
		e.time(f.At)
		e.time(f.NewDeadline)
		e.str(string(f.Decision))
		e.str(string(f.DecidedBy))
		e.time(f.DecidedAt)
		e.str(f.DecisionNote)
	})
	encodeList(&e, m.History, func(ev briefbot.Event) {
		e.int(int64(ev.Seq))
		e.str(string(ev.Action))
		e.str(string(ev.From))
		e.str(string(ev.To))
		e.str(string(ev.Actor))
		e.str(string(ev.OnBehalfOf))
		e.time(ev.At)
		e.str(ev.Reason)
		e.int(int64(ev.Ref))
	})
	return e.b
}

// decode reads a matter's record, compact or JSON.
func decode(v []byte) (*briefbot.Matter, error) {
	var m briefbot.Matter
	if len(v) > 0 && v[0] == recordCompact {
		if err := decodeCompact(v[1:], &m); err != nil {
			return nil, briefbot.Internal("decode matter", err)
		}
		return &m, nil
	}
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, briefbot.Internal("decode matter", err)
	}
	return &m, nil
}

func decodeCompact(b []byte, m *briefbot.Matter) error {
	d := recDecoder{b: b}
	m.ID = d.uint()
	m.Number = d.number()
	m.Kind = briefbot.Kind(d.str())
	m.ReportType = briefbot.ReportType(d.str())
	m.FollowUpOf = d.number()
	m.Title = d.str()
	m.Body = d.str()
	m.RequestedItem = d.str()
	m.Reasons = d.str()
	m.Recommendation = d.str()
	m.Department = briefbot.DepartmentID(d.str())
	m.Submitter = briefbot.MemberID(d.str())
	m.Signatory = briefbot.MemberID(d.str())
	m.SignedOn = d.time()
	m.Delegated = d.bool()
	m.Unsigned = d.bool()
	m.Decision = briefbot.DecisionMethod(d.str())
	m.Urgency = briefbot.Urgency(d.str())
	m.Addressee = briefbot.CommitteeID(d.str())
	m.Copied = decodeList(&d, func() briefbot.CommitteeID { return briefbot.CommitteeID(d.str()) })
	m.Category = d.str()
	m.AnswerBy = d.time()
	m.Related = decodeList(&d, d.number)
	m.Attachments = decodeList(&d, d.str)
	m.Files = decodeList(&d, func() briefbot.File {
		return briefbot.File{Name: d.str(), Size: d.int(), SHA256: d.str(), Type: d.str()}
	})
	m.Unclassified = d.bool()
	m.Restricted = decodeList(&d, func() briefbot.MemberID { return briefbot.MemberID(d.str()) })
	m.LevelSkip = d.bool()
	m.LevelSkipReason = d.str()
	m.SkippedBody = briefbot.CommitteeID(d.str())
	m.Status = briefbot.Status(d.str())
	m.Version = d.smallInt()
	m.CreatedAt = d.time()
	m.UpdatedAt = d.time()
	m.SubmittedAt = d.time()
	m.Instructions = decodeList(&d, func() briefbot.Instruction {
		return briefbot.Instruction{ID: d.smallInt(), Kind: briefbot.InstructionKind(d.str()), Leader: briefbot.MemberID(d.str()),
			RecordedBy: briefbot.MemberID(d.str()), Text: d.str(), At: d.time(), Corrects: d.smallInt()}
	})
	if d.bool() {
		m.Assignment = &briefbot.Assignment{Lead: briefbot.DepartmentID(d.str()),
			Assisting: decodeList(&d, func() briefbot.DepartmentID { return briefbot.DepartmentID(d.str()) }),
			Deadline:  d.time(), OriginalDeadline: d.time(), By: briefbot.MemberID(d.str()), At: d.time()}
	}
	m.Feedback = decodeList(&d, func() briefbot.Feedback {
		return briefbot.Feedback{ID: d.smallInt(), Kind: briefbot.FeedbackKind(d.str()), Department: briefbot.DepartmentID(d.str()),
			By: briefbot.MemberID(d.str()), Text: d.str(), At: d.time(), NewDeadline: d.time(), Decision: briefbot.Decision(d.str()),
			DecidedBy: briefbot.MemberID(d.str()), DecidedAt: d.time(), DecisionNote: d.str()}
	})
	m.History = decodeList(&d, func() briefbot.Event {
		return briefbot.Event{Seq: d.smallInt(), Action: briefbot.Action(d.str()), From: briefbot.Status(d.str()), To: briefbot.Status(d.str()),
			Actor: briefbot.MemberID(d.str()), OnBehalfOf: briefbot.MemberID(d.str()), At: d.time(), Reason: d.str(), Ref: d.smallInt()}
	})
	if d.err == nil && len(d.b) > 0 {
		d.err = errors.New("bytes after the last field")
	}
	return d.err
}

type recEncoder struct{ b []byte }

func (e *recEncoder) uint(u uint64) { e.b = binary.AppendUvarint(e.b, u) }
func (e *recEncoder) int(i int64)   { e.b = binary.AppendVarint(e.b, i) }

func (e *recEncoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// str writes s as a header, then its bytes. The header's two low bits say how: 0,
// its length in bytes and its UTF-8; 1, its length in UTF-16 units and its UTF-16
// (chosen only for valid UTF-8 it makes shorter, so the round trip gives back s byte
// for byte either way); 2, its place in recordWords and nothing more.
func (e *recEncoder) str(s string) {
	if i, ok := recordWordIndex[s]; ok && s != "" {
		e.uint(uint64(i)<<2 | 2)
		return
	}
	units, wide := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			units++
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 { // not UTF-8: kept as it is
			units = len(s)
			break
		}
		units++
		if r >= 0x10000 {
			units++
		}
		wide += n
		i += n
	}
	if wide == 0 || 2*units >= len(s) {
		e.uint(uint64(len(s)) << 2)
		e.b = append(e.b, s...)
		return
	}
	e.uint(uint64(units)<<2 | 1)
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			e.b = binary.LittleEndian.AppendUint16(e.b, uint16(r1))
			e.b = binary.LittleEndian.AppendUint16(e.b, uint16(r2))
		} else {
			e.b = binary.LittleEndian.AppendUint16(e.b, uint16(r))
		}
	}
}

// time writes t as 0 (the zero time) or 1, seconds, nanoseconds and the zone's
// offset in seconds. It is read back as encoding/json reads a time: in UTC for
// offset 0, in the local zone where its offset then is t's, at a fixed offset
// otherwise.
func (e *recEncoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	_, off := t.Zone()
	e.b = append(e.b, 1)
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
	e.int(int64(off))
}

func (e *recEncoder) number(n briefbot.Number) {
	e.str(string(n.Kind))
	e.int(int64(n.Year))
	e.int(int64(n.Seq))
}

// encodeList writes a list as its length plus one (0 for nil), then its elements.
func encodeList[T any](e *recEncoder, xs []T, each func(T)) {
	if xs == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(xs)) + 1)
	for _, x := range xs {
		each(x)
	}
}

// recDecoder reads what recEncoder wrote. The first problem is kept in err; every
// read after it returns a zero value, so a damaged record ends in an error, never a
// panic or a partial matter taken for whole.
type recDecoder struct {
	b   []byte
	err error
}

var errRecordShort = errors.New("record ends early")

func (d *recDecoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *recDecoder) uint() uint64 {
	u, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errRecordShort)
		return 0
	}
	d.b = d.b[n:]
	return u
}

func (d *recDecoder) int() int64 {
	i, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(errRecordShort)
		return 0
	}
	d.b = d.b[n:]
	return i
}

func (d *recDecoder) smallInt() int {
	i := d.int()
	if i < math.MinInt || i > math.MaxInt {
		d.fail(errors.New("integer out of range"))
		return 0
	}
	return int(i)
}

func (d *recDecoder) bool() bool {
	if len(d.b) == 0 {
		d.fail(errRecordShort)
		return false
	}
	v := d.b[0]
	d.b = d.b[1:]
	if v > 1 {
		d.fail(errors.New("bad boolean"))
	}
	return v == 1
}

func (d *recDecoder) str() string {
	h := d.uint()
	n := h >> 2
	switch h & 3 {
	case 2:
		if n >= uint64(len(recordWords)) {
			d.fail(errors.New("unknown word"))
			return ""
		}
		return recordWords[n]
	case 3:
		d.fail(errors.New("bad text header"))
		return ""
	case 0:
		if n > uint64(len(d.b)) {
			d.fail(errRecordShort)
			return ""
		}
		s := string(d.b[:n])
		d.b = d.b[n:]
		return s
	}
	if n > uint64(len(d.b))/2 {
		d.fail(errRecordShort)
		return ""
	}
	out := make([]byte, 0, n*3)
	for i := uint64(0); i < n; i++ {
		r := rune(binary.LittleEndian.Uint16(d.b[2*i:]))
		if utf16.IsSurrogate(r) {
			if i+1 >= n {
				d.fail(errors.New("bad UTF-16"))
				return ""
			}
			r = utf16.DecodeRune(r, rune(binary.LittleEndian.Uint16(d.b[2*i+2:])))
			i++
			if r == utf8.RuneError {
				d.fail(errors.New("bad UTF-16"))
				return ""
			}
		}
		out = utf8.AppendRune(out, r)
	}
	d.b = d.b[2*n:]
	return string(out)
}

func (d *recDecoder) time() time.Time {
	if !d.bool() {
		return time.Time{}
	}
	sec, nsec, off := d.int(), d.uint(), d.int()
	if d.err != nil || nsec >= 1e9 || off <= -86400 || off >= 86400 {
		d.fail(errors.New("bad time"))
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	switch _, local := t.Zone(); {
	case off == 0:
		return t.UTC()
	case int64(local) == off:
		return t // time.Unix gives local time, as encoding/json does for the local offset
	}
	return t.In(time.FixedZone("", int(off)))
}

func (d *recDecoder) number() briefbot.Number {
	return briefbot.Number{Kind: briefbot.Kind(d.str()), Year: d.smallInt(), Seq: d.smallInt()}
}

// decodeList reads what encodeList wrote.
func decodeList[T any](d *recDecoder, each func() T) []T {
	n := d.uint()
	if n == 0 || d.err != nil {
		return nil
	}
	n--
	if n > uint64(len(d.b)) { // every element takes at least a byte
		d.fail(errRecordShort)
		return nil
	}
	xs := make([]T, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		xs = append(xs, each())
	}
	if d.err != nil {
		return nil
	}
	return xs
}

// summaryCompact reads the Summary of the matter whose compact record (without its
// first byte) is b, skipping the fields a summary does not hold without reading
// them into strings, and stopping after the last one it does.
func summaryCompact(b []byte) (*briefbot.Summary, error) {
	d := recDecoder{b: b}
	s := &briefbot.Summary{}
	s.ID = d.uint()
	s.Number = d.number()
	s.Kind = briefbot.Kind(d.str())
	s.ReportType = briefbot.ReportType(d.str())
	d.number() // FollowUpOf
	s.Title = d.str()
	d.skipStr() // Body
	d.skipStr() // RequestedItem
	d.skipStr() // Reasons
	d.skipStr() // Recommendation
	s.Department = briefbot.DepartmentID(d.str())
	s.Submitter = briefbot.MemberID(d.str())
	d.skipStr()  // Signatory
	d.skipTime() // SignedOn
	d.bool()     // Delegated
	s.Unsigned = d.bool()
	d.skipStr() // Decision
	s.Urgency = briefbot.Urgency(d.str())
	s.Addressee = briefbot.CommitteeID(d.str())
	s.Copied = decodeList(&d, func() briefbot.CommitteeID { return briefbot.CommitteeID(d.str()) })
	d.skipStr() // Category
	s.AnswerBy = d.time()
	decodeList(&d, func() struct{} { d.number(); return struct{}{} })                                     // Related
	decodeList(&d, func() struct{} { d.skipStr(); return struct{}{} })                                    // Attachments
	decodeList(&d, func() struct{} { d.skipStr(); d.int(); d.skipStr(); d.skipStr(); return struct{}{} }) // Files
	d.bool()                                                                                              // Unclassified
	s.Restricted = decodeList(&d, func() briefbot.MemberID { return briefbot.MemberID(d.str()) })
	d.bool()    // LevelSkip
	d.skipStr() // LevelSkipReason
	s.SkippedBody = briefbot.CommitteeID(d.str())
	s.Status = briefbot.Status(d.str())
	d.int()      // Version
	d.skipTime() // CreatedAt
	d.skipTime() // UpdatedAt
	s.SubmittedAt = d.time()
	decodeList(&d, func() struct{} { // Instructions
		d.int()
		d.skipStr()
		d.skipStr()
		d.skipStr()
		d.skipStr()
		d.skipTime()
		d.int()
		return struct{}{}
	})
	if d.bool() {
		s.Assignment = &briefbot.Assignment{Lead: briefbot.DepartmentID(d.str()),
			Assisting: decodeList(&d, func() briefbot.DepartmentID { return briefbot.DepartmentID(d.str()) }),
			Deadline:  d.time(), OriginalDeadline: d.time(), By: briefbot.MemberID(d.str()), At: d.time()}
	}
	if d.err != nil {
		return nil, briefbot.Internal("decode matter", d.err)
	}
	return s, nil
}

// skipStr passes over a text as str reads it, without making a string of it.
func (d *recDecoder) skipStr() {
	h := d.uint()
	n := h >> 2
	switch h & 3 {
	case 0:
	case 1:
		if n > uint64(len(d.b))/2 {
			d.fail(errRecordShort)
			return
		}
		n *= 2
	case 2:
		if n >= uint64(len(recordWords)) {
			d.fail(errors.New("unknown word"))
		}
		return
	default:
		d.fail(errors.New("bad text header"))
		return
	}
	if n > uint64(len(d.b)) {
		d.fail(errRecordShort)
		return
	}
	d.b = d.b[n:]
}

// skipTime passes over a time as time reads it.
func (d *recDecoder) skipTime() {
	if d.bool() {
		d.int()
		d.uint()
		d.int()
	}
}
