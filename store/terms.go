package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
)

// Search terms. Text is read as a sequence of units: each Han character (and any other
// letter or digit outside ASCII) is a unit of its own; a run of ASCII letters, or of
// ASCII digits, is one unit. Case, width (full-width ＡＢＣ１２３), white space and
// punctuation are ignored, so （2026）沪01刑初10017号 and 2026沪01刑初10017 are the same
// units: 2026 沪 01 刑 初 10017 (号). A text's terms are
//
//   - every pair of adjacent units (the bigrams of Chinese text: 破产重整 gives 破产,
//     产重, 重整; mixed pairs such as 沪01 and 初10017 join case numbers up);
//   - every ASCII unit alone (10017, qs, criminal);
//   - the matter's ledger number, and those of the matters it relates to, whole
//     ("#QS-2026-0017"), from its fields, not its text.
//
// A query word of two or more units matches a text holding its units in a row: its
// pairs narrow the candidates through the index, and the matter is then read to check
// the units are adjacent. A word of one ASCII unit matches that unit. A word that is a
// single Han character has no pair to look up and is refused (errOneCharacter).

// unit kinds
const (
	unitWide  = iota // one Han (or other non-ASCII) letter or digit
	unitAlpha        // a run of ASCII letters, lower-cased
	unitDigit        // a run of ASCII digits
)

// units appends the units of s to dst, each as a string.
func units(dst []string, s string) []string {
	var run strings.Builder
	kind := -1
	flush := func() {
		if run.Len() > 0 {
			dst = append(dst, run.String())
			run.Reset()
		}
		kind = -1
	}
	for _, r := range s {
		if r >= '！' && r <= '～' { // full-width ASCII
			r -= 0xFEE0
		}
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			if kind != unitAlpha {
				flush()
				kind = unitAlpha
			}
			run.WriteRune(unicode.ToLower(r))
		case r >= '0' && r <= '9':
			if kind != unitDigit {
				flush()
				kind = unitDigit
			}
			run.WriteRune(r)
		case r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			flush()
			dst = append(dst, string(unicode.ToLower(r)))
		case kind != -1 && (unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)):
			flush() // ends an ASCII run; between wide units it is simply skipped
		}
		// Everything else (marks, format characters, controls) is skipped without a trace.
	}
	flush()
	return dst
}

func isASCIIUnit(u string) bool { return u[0] < utf8.RuneSelf }

// pair is the term of two adjacent units. Two ASCII units keep a blank between them
// ("qs 2026"), so no pair is mistaken for a single unit or another pair.
func pair(a, b string) string {
	if isASCIIUnit(a) && isASCIIUnit(b) {
		return a + " " + b
	}
	return a + b
}

// addTerms adds the terms of the units us to set.
func addTerms(set map[string]struct{}, us []string) {
	for i, u := range us {
		if isASCIIUnit(u) {
			set[u] = struct{}{}
		}
		if i > 0 {
			set[pair(us[i-1], u)] = struct{}{}
		}
	}
}

// numberTerm is the term of a ledger number.
func numberTerm(n briefbot.Number) string { return "#" + n.String() }

// searchFields returns the texts of m that search reads, each to be read on its own
// (a word does not run from one field into the next): its title, body, the parts of a
// request, its category, every 批示 and feedback text, and the ids of its department
// and of the units its handling was assigned to (a department named in a query is
// looked for by its id; see briefbot.Org.QueryWords).
func searchFields(m *briefbot.Matter) []string {
	fs := []string{m.Title, m.Body, m.RequestedItem, m.Reasons, m.Recommendation, m.Category, string(m.Department)}
	for _, in := range m.Instructions {
		fs = append(fs, in.Text)
	}
	for _, f := range m.Feedback {
		fs = append(fs, f.Text, f.DecisionNote)
	}
	if a := m.Assignment; a != nil {
		for _, d := range a.Units() {
			fs = append(fs, string(d))
		}
	}
	return fs
}

// matterTerms returns every term m is found by.
func matterTerms(m *briefbot.Matter) map[string]struct{} {
	set := map[string]struct{}{}
	var us []string
	for _, f := range searchFields(m) {
		us = units(us[:0], f)
		addTerms(set, us)
	}
	if !m.Number.IsZero() {
		set[numberTerm(m.Number)] = struct{}{}
	}
	if !m.FollowUpOf.IsZero() {
		set[numberTerm(m.FollowUpOf)] = struct{}{}
	}
	for _, r := range m.Related {
		set[numberTerm(r)] = struct{}{}
	}
	return set
}

// queryWord is one word of a query: the terms to look up, and the units that must
// stand in a row in one of a matter's fields (none for a ledger number).
type queryWord struct {
	shown string   // the word as searched, for the user: folded, or a number's canonical form
	terms []string // to intersect in the index
	units []string // to find in a row; nil: the terms are exact
}

// parseQuery reads a query into its words. No word at all is errEmptyQuery; a word
// that is one Han character alone is errOneCharacter.
func parseQuery(q string) ([]queryWord, error) {
	var words []queryWord
	for _, w := range strings.Fields(q) {
		if n, err := briefbot.ParseNumber(narrow(w)); err == nil {
			words = append(words, queryWord{shown: n.String(), terms: []string{numberTerm(n)}})
			continue
		}
		us := units(nil, w)
		switch {
		case len(us) == 0:
			continue // punctuation only
		case len(us) == 1 && !isASCIIUnit(us[0]):
			return nil, errOneCharacter(us[0])
		}
		set := map[string]struct{}{}
		addTerms(set, us)
		if len(us) > 1 { // the pairs narrow enough: the units alone need no lookup
			for _, u := range us {
				if isASCIIUnit(u) {
					delete(set, u)
				}
			}
		}
		qw := queryWord{shown: strings.Join(us, ""), units: us}
		for t := range set {
			qw.terms = append(qw.terms, t)
		}
		words = append(words, qw)
	}
	if len(words) == 0 {
		return nil, errEmptyQuery
	}
	return words, nil
}

// narrow folds full-width ASCII (ＱＳ－２０２６) to ASCII.
func narrow(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - 0xFEE0
		}
		return r
	}, s)
}

var errEmptyQuery = briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonEmptyQuery, briefbot.Text{ZH: "请输入要查找的词语。", EN: "Give some words to find."})

// errOneCharacter refuses a query word of one Han character: the index holds pairs of
// characters, and one character alone would match most of the ledger anyway.
func errOneCharacter(c string) error {
	return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonShortQuery, briefbot.Text{
		ZH: "“" + c + "”只有一个汉字，无法查找。请输入至少两个字的词语（例如含“" + c + "”的词）。",
		EN: "“" + c + "” is a single Chinese character, which search cannot look up. Give words of at least two characters."})
}

// hasRun reports whether the units want stand in a row in the units of one of fields.
func hasRun(fields [][]string, want []string) bool {
	for _, us := range fields {
		for i := 0; i+len(want) <= len(us); i++ {
			ok := true
			for j, w := range want {
				if us[i+j] != w {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}
