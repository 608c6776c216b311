package briefbot_test

import (
	"encoding/json"
	"testing"

	"github.com/briefbot/briefbot"
)

func TestParseNumber(t *testing.T) {
	want := briefbot.Number{Kind: briefbot.KindRequest, Year: 2026, Seq: 17}
	for _, s := range []string{"QS-2026-0017", "qs-2026-0017", "qs-2026-17", " QS2026-17 ", "Qs 2026 0017", "请示〔2026〕17号", "请示[2026]17号", "请示（2026）17"} {
		got, err := briefbot.ParseNumber(s)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "QS-2026", "XX-2026-0017", "QS-2026-0000", "QS-26-17", "BG-2026-abc", "报告2026-1"} {
		if _, err := briefbot.ParseNumber(s); briefbot.ErrorCode(err) != briefbot.EINVALID || briefbot.ErrorMessage(err, briefbot.LangZH) == "" {
			t.Errorf("ParseNumber(%q) = %v; want an invalid error with a message", s, err)
		}
	}
}

func TestNumber_Forms(t *testing.T) {
	for _, tc := range []struct {
		n        briefbot.Number
		str, doc string
	}{
		{briefbot.Number{briefbot.KindRequest, 2026, 17}, "QS-2026-0017", "请示〔2026〕17号"},
		{briefbot.Number{briefbot.KindReport, 2026, 42}, "BG-2026-0042", "报告〔2026〕42号"},
		{briefbot.Number{briefbot.KindFiling, 2027, 12345}, "BB-2027-12345", "报备〔2027〕12345号"},
	} {
		if got := tc.n.String(); got != tc.str {
			t.Errorf("String() = %q; want %q", got, tc.str)
		}
		if got := tc.n.Doc(); got != tc.doc {
			t.Errorf("Doc() = %q; want %q", got, tc.doc)
		}
		b, _ := json.Marshal(tc.n)
		var back briefbot.Number
		if err := json.Unmarshal(b, &back); err != nil || back != tc.n {
			t.Errorf("JSON round trip of %v = %v, %v", tc.n, back, err)
		}
	}
}

func TestErrorMessage_InternalIsAnApology(t *testing.T) {
	err := briefbot.Internal("put matter", json.Unmarshal([]byte("{"), new(int)))
	if got := briefbot.ErrorMessage(err, briefbot.LangEN); got == "" || got == err.Error() {
		t.Fatalf("ErrorMessage(internal) = %q", got)
	}
	if briefbot.ErrorCode(json.Unmarshal([]byte("{"), new(int))) != briefbot.EINTERNAL {
		t.Fatalf("a plain error should read as internal")
	}
}
