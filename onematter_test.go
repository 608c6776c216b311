package briefbot_test

import (
	"testing"

	"github.com/briefbot/briefbot"
)

// TestOneMatterCorpus: every text of testdata/onematter/multi.txt asks for more than one
// decision and is refused; every text of single.txt asks for one and is accepted.
func TestOneMatterCorpus(t *testing.T) {
	multi := readCorpus(t, "testdata/onematter/multi.txt")
	single := readCorpus(t, "testdata/onematter/single.txt")
	if len(multi) < 60 || len(single) < 60 {
		t.Fatalf("corpus too small: %d multi, %d single; want at least 60 each", len(multi), len(single))
	}
	refused, accepted := 0, 0
	for _, c := range multi {
		if n := briefbot.CountMatters(c.text); n > 1 {
			refused++
		} else {
			t.Errorf("%s: CountMatters = %d, want > 1: %q", c.where, n, c.text)
		}
	}
	for _, c := range single {
		if n := briefbot.CountMatters(c.text); n == 1 {
			accepted++
		} else {
			t.Errorf("%s: CountMatters = %d, want 1: %q", c.where, n, c.text)
		}
	}
	t.Logf("一文一事: multi refused %d/%d, single accepted %d/%d", refused, len(multi), accepted, len(single))
}

func TestCountMatters(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"", 1},
		{"拟对某案依法公开开庭审理", 1},
		{"1. 批准经费", 1},
		{"1. 批准经费\n2. 增加编制", 2},
		{"（一）经费\n（二）编制", 2},
		{"一、经费\n二、编制\n三、场地", 3},
		{"①经费②编制", 2}, // on one line too
		{"一是经费，二是编制", 2},
		{"2. 增加编制", 1},               // a follower with no first is no enumeration
		{"同意于2026年3月1日在1、2号法庭开庭", 1}, // dates and number lists
		{"同意按第一审程序审理（2026）沪01刑初10017号案件", 1},
		{"拟从重判处，理由：一是手段残忍，二是系累犯", 1},
		{"同意A。同意B。同意C", 3},
		{"同意追加经费，并请示院党组审定", 1}, // the same decision asked again
		{"同意追加经费，并请示同意增加编制", 2},
		{"“1、同意A；2、同意B”", 1}, // quoted
	} {
		if got := briefbot.CountMatters(tc.text); got != tc.want {
			t.Errorf("CountMatters(%q) = %d; want %d", tc.text, got, tc.want)
		}
	}
}
