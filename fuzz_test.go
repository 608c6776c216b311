package briefbot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
)

// FuzzParseNumber: whatever is typed, ParseNumber either refuses it with a coded error
// or returns a number whose canonical form parses back to itself.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"QS-2026-0017", "qs2026-17", "请示〔2026〕17号", "BG-2026-0000", "", "XX", "BB 2026 9999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := briefbot.ParseNumber(s)
		if err != nil {
			if briefbot.ErrorCode(err) != briefbot.EINVALID {
				t.Fatalf("ParseNumber(%q) = %v; want an invalid error", s, err)
			}
			return
		}
		back, err := briefbot.ParseNumber(n.String())
		if err != nil || back != n {
			t.Fatalf("ParseNumber(%q) = %v, which does not parse back (%v, %v)", s, n, back, err)
		}
	})
}

// FuzzIntake: intake never panics, and a refusal for a classification marking never
// quotes the text.
func FuzzIntake(f *testing.F) {
	f.Add("关于某事的请示", "正文", "事项", "秘密★1年")
	f.Add("", "妥否，请批示", "1. a\n2. b", "")
	f.Fuzz(func(t *testing.T, title, body, item, reasons string) {
		m := validRequest()
		m.Title, m.Body, m.RequestedItem, m.Reasons = title, body, item, reasons
		err := briefbot.CheckIntake(m, testOrg(), briefbot.DefaultIntakeRules(), day)
		if briefbot.ErrorReason(err) == "classified" {
			said := briefbot.ErrorMessage(err, briefbot.LangZH) + err.Error()
			for _, text := range []string{title, body, item, reasons} {
				// (a text that is itself part of the fixed message, like "绝密/机密", is not an echo)
				if len(text) > 8 && strings.Contains(said, text) && !strings.Contains(classifiedMessage, text) {
					t.Fatalf("a classified refusal quotes the text %q", text)
				}
			}
		}
	})
}

// classifiedMessage is the fixed refusal for classified text, in both languages.
var classifiedMessage = func() string {
	err := briefbot.CheckStorable(&briefbot.Matter{Kind: briefbot.KindReport, Body: "绝密"})
	return briefbot.ErrorMessage(err, briefbot.LangZH) + err.Error()
}()
