package briefbot_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
)

// FuzzParseNumber: whatever is typed, ParseNumber either refuses it with a coded error
// or returns a number whose canonical form parses back to itself.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"QS-2026-0017", "qs2026-17", "请示〔2026〕17号", "BG-2026-0000", "", "XX", "BB 2026 9999999", "QS-1948-0001", "BB-2026-12345678", "bg-2026-0001", "QS-2O26-0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := briefbot.ParseNumber(s)
		var u briefbot.Number // a stored number is read by UnmarshalText, which has a fast path
		if uerr := u.UnmarshalText([]byte(s)); s != "" && (u != n || (uerr == nil) != (err == nil)) {
			t.Fatalf("UnmarshalText(%q) = %v, %v; ParseNumber %v, %v", s, u, uerr, n, err)
		}
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

// FuzzCountMatters: CountMatters never panics and counts at least one matter, and a text
// of n characters asks for at most n+1 (every ask takes at least one character).
func FuzzCountMatters(f *testing.F) {
	for _, s := range []string{
		"1、同意追加经费；2、同意增加编制", "拟对被告人张某某依法从重判处，理由：一是手段残忍，二是系累犯",
		"（一）同意A（二）同意B", "①②③", "第一，第二，", "一是二是三是", "同意在1、2号法庭开庭", "“1、同意A；2、同意B”",
		"同意A，并请示同意B", "以及事项", "事项和事项", "（2026）沪01刑初10017号", "\n\n1.\n2.", "其一，其二，", "⒈⒉❶❷",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := briefbot.CountMatters(s)
		if n < 1 || n > utf8.RuneCountInString(s)+1 {
			t.Fatalf("CountMatters(%q) = %d", s, n)
		}
	})
}

// FuzzFindRequestPhrase: FindRequestPhrase never panics, returns "" or one of the
// phrases, and gives the same answer when spaces are put between the characters.
func FuzzFindRequestPhrase(f *testing.F) {
	for _, s := range []string{
		"以上意见当否，请示。", "请领导审定同意", "已报请批准", "根据院党组对《关于××的请示》的批复", "妥否，请阅示",
		"现将有关情况报告如下", "关于追加经费的请示", "报告（请示）", "“请各单位于3月底前报送”", "请…批准", "请\n示",
	} {
		f.Add(s, uint64(0x9e3779b97f4a7c15))
	}
	phrases := briefbot.DefaultIntakeRules().RequestPhrases
	spaces := []string{" ", "\t", "\u3000", "\u00a0", "  "}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		p := briefbot.FindRequestPhrase(s, phrases)
		if p != "" && !slices.Contains(phrases, p) {
			t.Fatalf("FindRequestPhrase(%q) = %q, not a phrase of the list", s, p)
		}
		var b strings.Builder
		for _, r := range s { // between runes, as decoded (an invalid byte is one rune)
			if seed&1 == 1 {
				b.WriteString(spaces[(seed>>1)%uint64(len(spaces))])
			}
			seed = seed>>3 | seed<<61
			b.WriteRune(r)
		}
		spaced := b.String() // an invalid byte became U+FFFD, as FindRequestPhrase reads it
		if q := briefbot.FindRequestPhrase(spaced, phrases); q != p {
			t.Fatalf("FindRequestPhrase(%q) = %q but with spaces (%q) = %q", s, p, spaced, q)
		}
	})
}
