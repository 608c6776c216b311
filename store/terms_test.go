package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/briefbot/briefbot"
)

func TestUnits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"破产重整", "[破 产 重 整]"},
		{"（2026）沪01刑初10017号", "[2026 沪 01 刑 初 10017 号]"},
		{"2026沪01刑初10017", "[2026 沪 01 刑 初 10017]"},
		{"（２０２６）沪０１刑初１００１７号", "[2026 沪 01 刑 初 10017 号]"}, // full width
		{"ABC公司 ＡＢＣ", "[abc 公 司 abc]"},                   // case and width
		{"QS-2026-0017", "[qs 2026 0017]"},
		{"qs2026", "[qs 2026]"},        // letters and digits part
		{"破 产\n重\u200b整", "[破 产 重 整]"}, // white space and invisible characters between
		{"张某，李某。", "[张 某 李 某]"},        // punctuation
		{"ab\u200bcd ef", "[abcd ef]"}, // an invisible character inside a word
		{"★☆……——", "[]"},               // nothing to search
		{"Ⅲ号", "[ⅲ 号]"},                // other letters and numbers are units
		{"a_b-c", "[a b c]"},
	} {
		if got := fmt.Sprint(units(nil, tc.in)); got != tc.want {
			t.Errorf("units(%q) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

func TestTerms(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"破产重整", "[产重 破产 重整]"},
		{"沪01刑初10017号", "[01 01刑 10017 10017号 刑初 初10017 沪01]"},
		{"qs-2026", "[2026 qs qs 2026]"}, // two ASCII units keep a blank between them
		{"某", "[]"},                      // one Han character alone makes no term
	} {
		set := map[string]struct{}{}
		f, spans := fold(nil, nil, tc.in)
		addTerms(set, f, spans)
		var got []string
		for k := range set {
			got = append(got, k)
		}
		slices.Sort(got)
		if fmt.Sprint(got) != tc.want {
			t.Errorf("terms(%q) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		in     string
		shown  string
		reason briefbot.Reason
	}{
		{"破产重整 执行", "[破产重整 执行]", ""},
		{"qs-2026-17", "[QS-2026-0017]", ""},
		{"请示〔2026〕17号", "[QS-2026-0017]", ""},
		{"ＢＧ２０２６－０００３", "[BG-2026-0003]", ""},
		{"10017", "[10017]", ""},
		{"（2026）沪01刑初10017号", "[2026沪01刑初10017号]", ""},
		{"， 。", "", briefbot.ReasonEmptyQuery},
		{"", "", briefbot.ReasonEmptyQuery},
		{"案", "", briefbot.ReasonShortQuery},
		{"破产 案", "", briefbot.ReasonShortQuery},
		{"（案）", "", briefbot.ReasonShortQuery},
	} {
		words, err := parseQuery(tc.in)
		if briefbot.ErrorReason(err) != tc.reason {
			t.Errorf("parseQuery(%q): %v; want reason %q", tc.in, err, tc.reason)
			continue
		}
		var shown []string
		for _, w := range words {
			shown = append(shown, w.shown)
		}
		if err == nil && fmt.Sprint(shown) != tc.shown {
			t.Errorf("parseQuery(%q) = %s; want %s", tc.in, shown, tc.shown)
		}
	}
}

func TestBitmapEncoding(t *testing.T) {
	var b bitmap
	for n := 1; n <= 200; n++ {
		b.set(uint16(n * 5 % blockSize))
		v := b.encode()
		if n <= maxListed && len(v) != 2*n || n > maxListed && len(v) != bitmapLen {
			t.Fatalf("%d offsets stored in %d bytes", n, len(v))
		}
		var back bitmap
		back.decode(v)
		if back != b {
			t.Fatalf("%d offsets: decoded differs", n)
		}
	}
	var empty bitmap
	if empty.encode() != nil {
		t.Fatal("an empty block is stored")
	}
}
