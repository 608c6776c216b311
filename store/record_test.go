package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

// fill sets every field of the value v points to, recursively, to something other
// than its zero value, each distinct.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("值%d·v%d", *n, *n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n))
	case reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, *n, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic(fmt.Sprintf("fill: a %s field: teach fill (and the record) about it", v.Kind()))
	}
}

// TestRecord_EveryField: every field of a matter, and of everything it holds, comes
// back from its record as it went in. A field added to Matter (or to Instruction,
// Feedback, Event, Assignment, File, Number) and not to the record fails here.
func TestRecord_EveryField(t *testing.T) {
	var m briefbot.Matter
	n := 0
	fill(reflect.ValueOf(&m).Elem(), &n)
	got, err := decode(encode(&m))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &m) {
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(&m)
		t.Fatalf("lost in the record:\n got %s\nwant %s", a, b)
	}
	// The summary read from the record, skipping what it does not hold, is the
	// matter's: a field skipped out of step would shift every one after it.
	sm, err := summarize(encode(&m))
	if err != nil || !reflect.DeepEqual(sm, m.Summary()) {
		a, _ := json.Marshal(sm)
		b, _ := json.Marshal(m.Summary())
		t.Fatalf("summary (%v):\n got %s\nwant %s", err, a, b)
	}
}

// recordMatters are matters for the round trips: every text shape (Chinese, ASCII,
// mixed, characters beyond the BMP, escapes JSON would write), times in UTC, at +08:00
// and local, nil and empty lists.
func recordMatters() map[string]*briefbot.Matter {
	hard := hardMatter()
	plain := hardMatter()
	plain.Title, plain.Body = "关于一季度审判执行工作情况的报告", strings.Repeat("一季度共受理案件1200件，审结1100件。", 20)
	plain.History = []briefbot.Event{}
	plain.Copied = nil
	astral := hardMatter()
	astral.Title, astral.Body = "𠮷野家 🍚 and ASCII", "𠮷"
	astral.SignedOn = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	astral.CreatedAt = time.Date(2026, 5, 1, 0, 0, 0, 1, time.Local)
	least := &briefbot.Matter{ID: 1, Kind: briefbot.KindReport, Title: "报告", Status: briefbot.StatusDraft}
	return map[string]*briefbot.Matter{"hard": hard, "plain": plain, "astral": astral, "least": least}
}

// TestRecord_ReadsAsJSONDid: a compact record reads back as the JSON record of the
// same matter read, field for field and time zone for time zone, so nothing that
// reads matters can tell which form a record was in.
func TestRecord_ReadsAsJSONDid(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	for _, local := range []*time.Location{time.UTC, briefbot.DefaultLocation(), time.FixedZone("X", -5*3600)} {
		time.Local = local // encoding/json reads an offset that is the local zone's as local time
		readsAsJSONDid(t, local.String())
	}
}

func readsAsJSONDid(t *testing.T, local string) {
	for name, m := range recordMatters() {
		name = local + "/" + name
		compact, err := decode(encode(m))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		j, _ := json.Marshal(m)
		fromJSON, err := decode(j)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(compact, fromJSON) {
			a, _ := json.Marshal(compact)
			t.Errorf("%s: compact record reads\n%s\nJSON read\n%s", name, a, j)
		}
		for _, pair := range [][2]time.Time{{compact.SignedOn, fromJSON.SignedOn}, {compact.CreatedAt, fromJSON.CreatedAt}} {
			if pair[0].Location().String() != pair[1].Location().String() || pair[0].String() != pair[1].String() {
				t.Errorf("%s: time %v (%s), JSON gives %v (%s)", name, pair[0], pair[0].Location(), pair[1], pair[1].Location())
			}
		}
		if sm, err := summarize(encode(m)); err != nil || !reflect.DeepEqual(sm, fromJSON.Summary()) {
			t.Errorf("%s: summary of the compact record %+v (%v)", name, sm, err)
		}
	}
}

// TestRecord_KeepsInvalidUTF8: a text that is not UTF-8 comes back byte for byte
// (JSON would have replaced the bytes), so the search index built from the matter
// and the one check rebuilds from its record agree.
func TestRecord_KeepsInvalidUTF8(t *testing.T) {
	m := hardMatter()
	m.Title, m.Body = "标题\xff\xfe", "正文\xc3"
	got, err := decode(encode(m))
	if err != nil || got.Title != m.Title || got.Body != m.Body {
		t.Fatalf("got %q %q (%v)", got.Title, got.Body, err)
	}
}

// TestRecord_Smaller: the record of a matter as departments write them (a Chinese
// title and a body of a few hundred characters) is at most 60% of its JSON: what
// lets a 4 KB page hold three or four matters instead of two.
func TestRecord_Smaller(t *testing.T) {
	m := recordMatters()["plain"]
	m.Body = strings.Repeat("我庭已会同立案、执行等部门制定风险防控预案，并与属地党委政府保持密切沟通。", 9)
	j, _ := json.Marshal(m)
	c := encode(m)
	if float64(len(c)) > 0.6*float64(len(j)) {
		t.Fatalf("compact %d bytes, JSON %d", len(c), len(j))
	}
	t.Logf("compact %d bytes, JSON %d (%.0f%%)", len(c), len(j), 100*float64(len(c))/float64(len(j)))
}

// TestRecord_Damaged: a compact record cut anywhere, or with any byte changed, is an
// error or some matter, never a panic; cut, it is always an error.
func TestRecord_Damaged(t *testing.T) {
	rec := encode(hardMatter())
	for i := 1; i < len(rec); i++ {
		if m, err := decode(rec[:i]); err == nil {
			t.Fatalf("cut at %d of %d: read as %+v", i, len(rec), m)
		}
	}
	if _, err := decode(append(append([]byte{}, rec...), 0)); err == nil {
		t.Fatal("a byte after the last field went unnoticed")
	}
	for i := 1; i < len(rec); i++ {
		for _, x := range []byte{0x00, 0xff, 0x80, 0x01} {
			b := append([]byte{}, rec...)
			b[i] = x
			_, _ = decode(b)
		}
	}
}

// FuzzRecord: any bytes after the compact form's first byte are an error or a matter,
// never a panic, and a matter read so writes back to a record that reads the same.
func FuzzRecord(f *testing.F) {
	for _, m := range recordMatters() {
		f.Add(encode(m)[1:])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rec := append([]byte{recordCompact}, b...)
		_, _ = summarize(rec) // skips what decode reads: no panic either
		m, err := decode(rec)
		if err != nil {
			return
		}
		again, err := decode(encode(m))
		if err != nil {
			t.Fatalf("a matter read from a record does not read back: %v", err)
		}
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("read back differently:\n%+v\n%+v", again, m)
		}
	})
}

// BenchmarkRecord: writing and reading a typical matter's record, compact against
// the JSON records of schema 5 and before; and reading a list row's summary of each.
func BenchmarkRecord(b *testing.B) {
	m := recordMatters()["plain"]
	m.Body = strings.Repeat("我庭已会同立案、执行等部门制定风险防控预案，并与属地党委政府保持密切沟通。", 9)
	j, _ := json.Marshal(m)
	c := encode(m)
	b.Run("encode/json", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(m)
		}
	})
	b.Run("encode/compact", func(b *testing.B) {
		for b.Loop() {
			_ = encode(m)
		}
	})
	for _, r := range []struct {
		name string
		rec  []byte
	}{{"json", j}, {"compact", c}} {
		b.Run("decode/"+r.name, func(b *testing.B) {
			b.ReportMetric(float64(len(r.rec)), "bytes")
			for b.Loop() {
				if _, err := decode(r.rec); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("summary/"+r.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := summarize(r.rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRecord_Words: every word of the vocabulary is written as a word, in one or two
// bytes; a word the list lacks would still be written, only longer.
func TestRecord_Words(t *testing.T) {
	var words []string
	for _, k := range briefbot.Kinds {
		words = append(words, string(k))
	}
	for _, r := range briefbot.ReportTypes {
		words = append(words, string(r))
	}
	for _, u := range briefbot.Urgencies {
		words = append(words, string(u))
	}
	for _, d := range briefbot.DecisionMethods {
		words = append(words, string(d))
	}
	for _, st := range briefbot.Statuses {
		words = append(words, string(st))
	}
	for _, a := range []briefbot.Action{briefbot.ActionAskSignOff, briefbot.ActionSign, briefbot.ActionRevise, briefbot.ActionSubmit,
		briefbot.ActionResubmit, briefbot.ActionWithdraw, briefbot.ActionRegister, briefbot.ActionReturn, briefbot.ActionReview,
		briefbot.ActionPropose, briefbot.ActionPresent, briefbot.ActionRead, briefbot.ActionInstruct, briefbot.ActionRefer,
		briefbot.ActionProgress, briefbot.ActionRequestExtension, briefbot.ActionGrantExtension, briefbot.ActionDeclineExtension,
		briefbot.ActionComplete, briefbot.ActionSendBack, briefbot.ActionClose, briefbot.ActionArchive} {
		words = append(words, string(a))
	}
	for _, w := range []string{string(briefbot.InstructionRead), string(briefbot.InstructionWritten), string(briefbot.FeedbackProgress),
		string(briefbot.FeedbackExtension), string(briefbot.FeedbackCompletion), string(briefbot.DecisionPending), string(briefbot.DecisionGranted),
		string(briefbot.DecisionDeclined), string(briefbot.DecisionAccepted), string(briefbot.DecisionReturned)} {
		words = append(words, w)
	}
	words = append(words, briefbot.DefaultFileTypes()...)
	for _, w := range words {
		var e recEncoder
		e.str(w)
		if len(e.b) > 2 || e.b[0]&3 != 2 {
			t.Errorf("%q is written in %d bytes, not as a word: add it to the end of recordWords", w, len(e.b))
		}
		d := recDecoder{b: e.b}
		if got := d.str(); got != w || d.err != nil {
			t.Errorf("%q reads back as %q (%v)", w, got, d.err)
		}
	}
}
