package blockkit

import (
	"strings"
	"testing"
)

// FuzzEscape: escaped text contains nothing mrkdwn acts on.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"<!channel>", "*bold* _it_ ~s~ `c`", "a&b<c>", "<http://x|y>", "＊"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if strings.ContainsAny(e, "<>*_~`") {
			t.Fatalf("Escape(%q) = %q still has mrkdwn marks", s, e)
		}
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(e, "&amp;", ""), "&lt;", ""), "&gt;", ""), "&") {
			t.Fatalf("Escape(%q) = %q has a bare &", s, e)
		}
	})
}
