package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

// hardMatter is a matter whose every text is made to trip a record scanner: quotes,
// backslashes before quotes, braces and brackets inside strings, characters
// encoding/json escapes (<, >, &, U+2028), control characters, and every list and
// nested value set, before and after the summary's own members.
func hardMatter() *briefbot.Matter {
	at := time.Date(2026, 3, 4, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	tricky := `他说："关于{案件}[一]"\"，\\` + "\\\"\"<b>&amp;\u2028\n\t\x01" + `}]},{"title":"假标题"`
	return &briefbot.Matter{
		ID: 77, Number: briefbot.Number{Kind: briefbot.KindRequest, Year: 2026, Seq: 12}, Kind: briefbot.KindRequest,
		FollowUpOf: briefbot.Number{Kind: briefbot.KindReport, Year: 2025, Seq: 3},
		Title:      `关于"执行款"\发放的请示` + tricky, Body: tricky + strings.Repeat("正文", 300),
		RequestedItem: tricky, Reasons: tricky, Recommendation: `"}`,
		Department: "criminal", Submitter: "wu", Signatory: "qian", SignedOn: at, Unsigned: true,
		Urgency: briefbot.UrgencyUrgent, Addressee: "party", Copied: []briefbot.CommitteeID{"pl", `x"y`},
		Category: tricky, AnswerBy: at.Add(48 * time.Hour),
		Related:     []briefbot.Number{{Kind: briefbot.KindReport, Year: 2026, Seq: 1}},
		Attachments: []string{`https://x/"]}`}, Files: []briefbot.File{{Name: `a"}.pdf`, Size: 3, SHA256: "ab", Type: "pdf"}},
		Restricted: []briefbot.MemberID{"wu", "zhao"}, LevelSkip: true, LevelSkipReason: tricky, SkippedBody: "pl",
		Status: briefbot.StatusInProgress, Version: 9, CreatedAt: at, UpdatedAt: at.Add(time.Hour), SubmittedAt: at.Add(time.Minute),
		Instructions: []briefbot.Instruction{{ID: 1, Kind: briefbot.InstructionKind("instruct"), Leader: "zhao", Text: tricky, At: at}},
		Assignment: &briefbot.Assignment{Lead: "civil", Assisting: []briefbot.DepartmentID{"admin"}, Deadline: at.Add(240 * time.Hour),
			OriginalDeadline: at.Add(120 * time.Hour), By: "zhao", At: at},
		Feedback: []briefbot.Feedback{{ID: 1, Department: "civil", By: "li", Text: tricky, At: at}},
		History:  []briefbot.Event{{Seq: 1, Action: briefbot.ActionSubmit, To: briefbot.StatusSubmitted, Actor: "wu", At: at, Reason: tricky}},
	}
}

func summaryJSON(t *testing.T, s *briefbot.Summary) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSummarize: the summary read from a record is the one of the whole matter
// decoded, whatever its texts hold; a matter with nothing but the required members
// too.
func TestSummarize(t *testing.T) {
	for name, m := range map[string]*briefbot.Matter{
		"every member, tricky texts": hardMatter(),
		"the least":                  {ID: 1, Kind: briefbot.KindReport, Title: "报告", Status: briefbot.StatusDraft},
	} {
		rec, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := summarize(rec)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		whole, err := decode(rec)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := summaryJSON(t, got), summaryJSON(t, whole.Summary()); g != w {
			t.Errorf("%s: summary\n%s\nwant\n%s", name, g, w)
		}
		if got.Title != m.Title || got.Assignment == nil && m.Assignment != nil {
			t.Errorf("%s: title %q, assignment %v", name, got.Title, got.Assignment)
		}
		if !eachMember(rec, func(key, v []byte) bool {
			return !summaryKeys[string(key)] || setMember(new(briefbot.Summary), string(key), v)
		}) {
			t.Errorf("%s: the scanner could not follow a record json.Marshal wrote", name)
		}
	}
}

// TestSummarize_Damaged: a record that is not a matter is an error, as decode's, and
// never a summary of part of it.
func TestSummarize_Damaged(t *testing.T) {
	rec, _ := json.Marshal(hardMatter())
	for name, bad := range map[string][]byte{
		"empty":          {},
		"truncated":      rec[:len(rec)/2],
		"cut in a value": rec[:strings.Index(string(rec), `"body"`)+12],
		"not an object":  []byte(`["id",1]`),
		"trailing bytes": append(append([]byte{}, rec...), `{"id":2}`...),
		"a bad title":    []byte(`{"id":1,"title":12}`),
	} {
		if s, err := summarize(bad); err == nil {
			t.Errorf("%s: summary %+v, no error", name, s)
		}
	}
}

// FuzzSummarize: for any record decode accepts, summarize does too, and the summary
// read from it as the store writes it (json.Marshal of the matter) is the whole
// matter's; for any bytes at all, summarize does not panic. (Where decode refuses a
// record, summarize may still read the summary's own members from it, if they are
// whole: the store writes every record with json.Marshal, and `check` decodes every
// one.)
func FuzzSummarize(f *testing.F) {
	rec, _ := json.Marshal(hardMatter())
	f.Add(rec)
	f.Add([]byte(`{"id":1,"title":"\"}","history":[{"reason":"]}\\"}]}`))
	f.Add([]byte(`{"id":1,"Title":"case"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := summarize(b)
		m, derr := decode(b)
		if derr != nil {
			return
		}
		if err != nil {
			t.Fatalf("decode reads it, summarize refuses: %v", err)
		}
		stored, err := json.Marshal(m)
		if err != nil {
			return
		}
		s2, err := summarize(stored)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := summaryJSON(t, s2), summaryJSON(t, m.Summary()); g != w {
			t.Fatalf("summary\n%s\nwant\n%s", g, w)
		}
	})
}
