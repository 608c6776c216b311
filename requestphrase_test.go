package briefbot_test

import (
	"testing"

	"github.com/briefbot/briefbot"
)

// TestRequestPhraseCorpus: every text of testdata/requestphrase/smuggling.txt asks for a
// decision and is refused; every text of clean.txt asks for none and is accepted.
func TestRequestPhraseCorpus(t *testing.T) {
	phrases := briefbot.DefaultIntakeRules().RequestPhrases
	smuggling := readCorpus(t, "testdata/requestphrase/smuggling.txt")
	clean := readCorpus(t, "testdata/requestphrase/clean.txt")
	if len(smuggling) < 40 || len(clean) < 40 {
		t.Fatalf("corpus too small: %d smuggling, %d clean; want at least 40 each", len(smuggling), len(clean))
	}
	refused, accepted := 0, 0
	for _, c := range smuggling {
		if p := briefbot.FindRequestPhrase(c.text, phrases); p != "" {
			refused++
		} else {
			t.Errorf("%s: no request phrase found in %q", c.where, c.text)
		}
	}
	for _, c := range clean {
		if p := briefbot.FindRequestPhrase(c.text, phrases); p == "" {
			accepted++
		} else {
			t.Errorf("%s: found %q in %q", c.where, p, c.text)
		}
	}
	t.Logf("报告夹带请示: smuggling refused %d/%d, clean accepted %d/%d", refused, len(smuggling), accepted, len(clean))
}
