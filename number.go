package briefbot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Number is a ledger number: unique per kind and year, gapless, human-typable. It is
// written QS-2026-0017 (request), BG-2026-0042 (report), BB-2026-0003 (filing), and printed
// in document style as 请示〔2026〕17号.
type Number struct {
	Kind Kind
	Year int
	Seq  int
}

// IsZero reports whether n is unset (the matter has not been submitted).
func (n Number) IsZero() bool { return n.Seq == 0 }

// String returns the canonical typable form, e.g. QS-2026-0017.
func (n Number) String() string {
	if n.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s-%04d-%04d", n.Kind.Prefix(), n.Year, n.Seq)
}

// Series is the kind-and-year part of the number, e.g. QS-2026: the unit that is
// numbered without gaps.
func (n Number) Series() string { return fmt.Sprintf("%s-%04d", n.Kind.Prefix(), n.Year) }

// Doc returns the number in Chinese document style, e.g. 请示〔2026〕17号.
func (n Number) Doc() string {
	if n.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s〔%d〕%d号", n.Kind.Label(LangZH), n.Year, n.Seq)
}

// MarshalText implements encoding.TextMarshaler.
func (n Number) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (n *Number) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*n = Number{}
		return nil
	}
	if v, ok := parseCanonical(b); ok { // as String writes it: every stored number
		*n = v
		return nil
	}
	v, err := ParseNumber(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// parseCanonical reads a number as String writes it (QS-2026-0017), without the
// patterns ParseNumber tries; ok is false for anything else, and then ParseNumber
// decides.
func parseCanonical(b []byte) (Number, bool) {
	if len(b) < 12 || len(b) > 15 || b[2] != '-' || b[7] != '-' {
		return Number{}, false
	}
	var kind Kind
	for _, k := range Kinds {
		if p := k.Prefix(); p[0] == b[0] && p[1] == b[1] {
			kind = k
		}
	}
	digits := func(d []byte) (int, bool) {
		v := 0
		for _, c := range d {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := digits(b[3:7])
	seq, ok2 := digits(b[8:])
	if kind == "" || !ok1 || !ok2 || y < 1949 || seq == 0 {
		return Number{}, false
	}
	return Number{Kind: kind, Year: y, Seq: seq}, true
}

var (
	numberRE    = regexp.MustCompile(`^(?i)(QS|BG|BB)\s*[-_ ]?\s*(\d{4})\s*[-_ ]?\s*(\d{1,7})$`)
	numberDocRE = regexp.MustCompile(`^(请示|报告|报备)\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,7})\s*号?$`)
)

// ParseNumber reads a ledger number as a person would type it: case-insensitive, with
// or without dashes and zero padding (qs-2026-17, QS2026-0017), or in document style
// (请示〔2026〕17号).
func ParseNumber(s string) (Number, error) {
	s = strings.TrimSpace(s)
	var kind Kind
	var ys, ss string
	if m := numberRE.FindStringSubmatch(s); m != nil {
		for _, k := range Kinds {
			if strings.EqualFold(k.Prefix(), m[1]) {
				kind = k
			}
		}
		ys, ss = m[2], m[3]
	} else if m := numberDocRE.FindStringSubmatch(s); m != nil {
		for _, k := range Kinds {
			if k.Label(LangZH) == m[1] {
				kind = k
			}
		}
		ys, ss = m[2], m[3]
	} else {
		return Number{}, &Error{Code: EINVALID, Reason: "bad_number", Msg: msgBadNumber}
	}
	y, _ := strconv.Atoi(ys)
	n, _ := strconv.Atoi(ss)
	if n == 0 || y < 1949 {
		return Number{}, &Error{Code: EINVALID, Reason: "bad_number", Msg: msgBadNumber}
	}
	return Number{Kind: kind, Year: y, Seq: n}, nil
}
