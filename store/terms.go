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

// span is where a unit is in a folded text.
type span struct{ a, b int }

// fold returns the units of s written one after the other, two ASCII units with a
// blank between them, and where each unit is in it: the units and the pairs of adjacent
// units are then substrings of one string, made without a copy each.
func fold(buf []byte, spans []span, s string) (string, []span) {
	buf = buf[:0]
	kind := -1 // of the unit being written; -1: none open
	lastASCII := false
	open := func(k int) {
		if kind != -1 {
			spans[len(spans)-1].b = len(buf)
		}
		if k != unitWide && lastASCII {
			buf = append(buf, ' ')
		}
		spans = append(spans, span{a: len(buf)})
		kind, lastASCII = k, k != unitWide
	}
	for _, r := range s {
		if r >= '！' && r <= '～' { // full-width ASCII
			r -= 0xFEE0
		}
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			if kind != unitAlpha {
				open(unitAlpha)
			}
			buf = append(buf, byte(unicode.ToLower(r)))
		case r >= '0' && r <= '9':
			if kind != unitDigit {
				open(unitDigit)
			}
			buf = append(buf, byte(r))
		case r >= 0x4e00 && r <= 0x9fff: // CJK unified ideographs: the bulk of the text
			open(unitWide)
			buf = utf8.AppendRune(buf, r)
		case r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			open(unitWide)
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		case kind != unitWide && kind != -1 && (unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)):
			spans[len(spans)-1].b = len(buf) // ends an ASCII run
			kind = -1
		}
		// Everything else (marks, format characters, controls; punctuation between
		// wide units) is skipped without a trace.
	}
	if len(spans) > 0 {
		spans[len(spans)-1].b = len(buf)
	}
	return string(buf), spans
}

// units appends the units of s to dst, each as a string.
func units(dst []string, s string) []string {
	f, spans := fold(nil, nil, s)
	for _, sp := range spans {
		dst = append(dst, f[sp.a:sp.b])
	}
	return dst
}

func isASCIIUnit(u string) bool { return u[0] < utf8.RuneSelf }

// addTerms adds the terms of the folded text f, whose units are at spans, to set: each
// ASCII unit, and each pair of adjacent units (two ASCII units with the blank between).
func addTerms(set map[string]struct{}, f string, spans []span) {
	eachTerm(f, spans, func(t string) { set[t] = struct{}{} })
}

// eachTerm calls fn with each term of the folded text f, whose units are at spans;
// a term the text holds twice comes twice.
func eachTerm(f string, spans []span, fn func(string)) {
	for i, sp := range spans {
		if f[sp.a] < utf8.RuneSelf {
			fn(f[sp.a:sp.b])
		}
		if i > 0 {
			fn(f[spans[i-1].a:sp.b])
		}
	}
}

// eachNumberTerm calls fn with the terms of the ledger numbers m carries: its own,
// the report it follows up and those it relates to.
func eachNumberTerm(m *briefbot.Matter, fn func(string)) {
	if !m.Number.IsZero() {
		fn(numberTerm(m.Number))
	}
	if !m.FollowUpOf.IsZero() {
		fn(numberTerm(m.FollowUpOf))
	}
	for _, r := range m.Related {
		fn(numberTerm(r))
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
	set := make(map[string]struct{}, 256)
	buf := make([]byte, 0, 4096)
	spans := make([]span, 0, 512)
	for _, text := range searchFields(m) {
		var f string
		f, spans = fold(buf, spans[:0], text)
		addTerms(set, f, spans)
	}
	eachNumberTerm(m, func(t string) { set[t] = struct{}{} })
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
		f, spans := fold(nil, nil, w)
		us := units(nil, w)
		switch {
		case len(us) == 0:
			continue // punctuation only
		case len(us) == 1 && !isASCIIUnit(us[0]):
			return nil, errOneCharacter(us[0])
		}
		set := map[string]struct{}{}
		addTerms(set, f, spans)
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

// inRow reports whether the units want stand in a row among the units of the folded
// text f, which are at spans.
func inRow(f string, spans []span, want []string) bool {
	for i := 0; i+len(want) <= len(spans); i++ {
		j := 0
		for j < len(want) && f[spans[i+j].a:spans[i+j].b] == want[j] {
			j++
		}
		if j == len(want) {
			return true
		}
	}
	return false
}
