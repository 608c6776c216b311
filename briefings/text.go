package briefings

import (
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// escape makes user-supplied text safe to put inside mrkdwn (blockkit.Escape, the one
// rule; mrkdwnEscapes below is the same rule byte by byte, for writing escaped text
// without building it first, and a test holds the two together).
func escape(s string) string { return blockkit.Escape(s) }

// textWriter is what renderers write to: a strings.Builder or a bytes.Buffer.
type textWriter interface {
	Write([]byte) (int, error)
	WriteString(string) (int, error)
	WriteByte(byte) error
}

// escapeTable is a byte-wise escaping: the bytes to replace and what with.
type escapeTable struct {
	special [256]bool
	with    [256]string
	bytes   []byte // the special bytes
}

// in reports whether s holds a byte to escape. strings.IndexByte is vectorised, so
// for long text a search per special byte beats looking at every byte once.
func (t *escapeTable) in(s string) bool {
	for _, c := range t.bytes {
		if strings.IndexByte(s, c) >= 0 {
			return true
		}
	}
	return false
}

// mrkdwnEscapes and markdownEscapes are escape and escapeMarkdown by byte, for writing
// escaped text without building it first.
var mrkdwnEscapes, markdownEscapes escapeTable

func init() {
	for c, r := range map[byte]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '*': "＊", '_': "＿", '~': "～", '`': "｀"} {
		mrkdwnEscapes.special[c], mrkdwnEscapes.with[c] = true, r
		mrkdwnEscapes.bytes = append(mrkdwnEscapes.bytes, c)
	}
	for _, c := range []byte("\\`*_[]<>&|~!#") {
		markdownEscapes.special[c], markdownEscapes.with[c] = true, "\\"+string(c)
		markdownEscapes.bytes = append(markdownEscapes.bytes, c)
	}
}

// escapeTo writes s to w escaped with table: escape(s) or escapeMarkdown(s).
func escapeTo(w textWriter, s string, table *escapeTable) {
	if len(s) >= 64 && !table.in(s) {
		w.WriteString(s)
		return
	}
	last := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; table.special[c] {
			w.WriteString(s[last:i])
			w.WriteString(table.with[c])
			last = i + 1
		}
	}
	w.WriteString(s[last:])
}

// emphasised writes s escaped with table, between bold markers when strong.
func emphasised(w textWriter, s string, strong bool, bold string, table *escapeTable) {
	if strong {
		w.WriteString(bold)
	}
	escapeTo(w, s, table)
	if strong {
		w.WriteString(bold)
	}
}

// view is b read as a string without copying it, for a callee that only reads it
// while the call lasts (escapeTo writes it on, which copies): the scratch buffer of a
// formatted run stays the one allocation for thousands of items.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// writeInt writes v in decimal.
func writeInt(w textWriter, v int) {
	if v < 0 || v >= 1_000_000 {
		w.WriteString(strconv.Itoa(v))
		return
	}
	p := 1
	for p*10 <= v {
		p *= 10
	}
	for ; p > 0; p /= 10 {
		w.WriteByte(byte('0' + v/p%10))
	}
}

// markdownEscaper backslash-escapes the characters that would make user text inline
// Markdown (emphasis, code, links, images, raw HTML, entities, tables, strikethrough).
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "&", `\&`, "|", `\|`, "~", `\~`, "!", `\!`, "#", `\#`,
)

// escapeMarkdown makes user-supplied text safe to put inline in Markdown.
func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }

// cutRunes shortens s to at most n characters, ending it with tail when it had to cut.
func cutRunes(s string, n int, tail string) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	return forceCut(s, n, tail)
}

// clip folds s to one line (runs of white space become one space, ends trimmed) and
// cuts it to n characters, ending a cut text with tail(). It reads only as much of s as
// it needs, so a long body costs no more than a short one, and calls tail only when it
// cuts.
func clip(s string, n int, tail func() string) string {
	// Most texts are valid UTF-8 and need no folding: find out while counting the
	// first n+1 characters, stepping a character at a time by its lead byte, and then
	// return s itself, or a cut of it. White space outside ASCII (U+0085, U+00A0,
	// U+1680, U+2000-U+205F, U+3000) has one of four lead bytes; other characters are
	// not decoded. Anything else, invalid UTF-8 included, takes the slow path, which
	// also replaces invalid bytes with U+FFFD: what clip returns is always valid.
	i, count := 0, 0
	for i < len(s) && count <= n {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				return clipFold(s, n, tail)
			}
			i++
		case c < 0xC2 || c > 0xF4:
			return clipFold(s, n, tail) // a stray continuation byte or an invalid lead
		case c < 0xE0:
			if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 || c == 0xC2 && (s[i+1] == 0x85 || s[i+1] == 0xA0) {
				return clipFold(s, n, tail)
			}
			i += 2
		case c < 0xF0:
			if i+2 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 ||
				c == 0xE0 && s[i+1] < 0xA0 || c == 0xED && s[i+1] >= 0xA0 || c >= 0xE1 && c <= 0xE3 {
				if r, size := utf8.DecodeRuneInString(s[i:]); size != 3 || unicode.IsSpace(r) {
					return clipFold(s, n, tail)
				}
			}
			i += 3
		default:
			if r, size := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError || size != 4 {
				return clipFold(s, n, tail)
			}
			i += 4
		}
		count++
	}
	if count <= n {
		return s
	}
	// s[:i] holds n+1 characters: step back over the ones the tail replaces.
	t := tail()
	for drop := n + 1 - max(n-utf8.RuneCountInString(t), 0); drop > 0 && i > 0; drop-- {
		i--
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
	}
	return strings.TrimRight(s[:i], " ") + t
}

// runeCount counts the characters of valid UTF-8 text: its bytes that do not
// continue a character. Briefing text is valid (clip makes it so, and so does
// encoding/json); Validate counts exactly all the same.
func runeCount(s string) int {
	const (
		hi = 0x8080808080808080
		lo = 0x7F7F7F7F7F7F7F7F
	)
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 { // eight bytes at a time
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A continuation byte is 10xxxxxx: bit 7 set and bit 6 clear.
		n -= bits.OnesCount64(x & ^(x << 1) & hi)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// runeLen is the length of the UTF-8 sequence that lead byte c starts (1 for a stray
// continuation byte).
func runeLen(c byte) int {
	switch {
	case c < 0xC0:
		return 1
	case c < 0xE0:
		return 2
	case c < 0xF0:
		return 3
	}
	return 4
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// clipFold is clip for a text with white space to fold, or not valid UTF-8: ranging
// over it yields U+FFFD for every invalid byte.
func clipFold(s string, n int, tail func() string) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*n+4))
	count, space := 0, false
	limit := n + 1 // one more than fits tells us whether we must cut
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = count > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		if count >= limit {
			break
		}
		b.WriteRune(r)
		count++
		if count >= limit {
			break
		}
	}
	out := b.String()
	if count <= n {
		return out
	}
	return forceCut(out, n, tail())
}

// forceCut cuts s, known to be too long, to n characters ending in tail.
func forceCut(s string, n int, tail string) string {
	keep := max(n-utf8.RuneCountInString(tail), 0)
	i := 0
	for k := 0; i < len(s) && k < keep; k++ {
		i += runeLen(s[i])
	}
	i = min(i, len(s))
	for i < len(s) && !utf8.RuneStart(s[i]) { // invalid UTF-8: do not split a sequence
		i++
	}
	return strings.TrimRight(s[:i], " ") + tail
}

// pointer is the cut marker that points to the full record in the ledger.
func pointer(lang briefbot.Lang, n briefbot.Number) string {
	if n.IsZero() {
		return "…"
	}
	// tr(lang, strCutPointer, ledger(n)) in one allocation: one is made for most items.
	f := strCutPointer.In(lang)
	at := strings.Index(f, "%s")
	var a [64]byte
	b := append(a[:0], f[:at]...)
	b = appendLedger(b, n)
	return string(append(b, f[at+2:]...))
}

// ellipsis is the plain cut marker.
func ellipsis() string { return "…" }

// ledger is n.String() (QS-2026-0017) without fmt: renderers write it for every item.
func ledger(n briefbot.Number) string {
	if n.IsZero() {
		return ""
	}
	var a [16]byte
	return string(appendLedger(a[:0], n))
}

// appendLedger appends n as ledger writes it.
func appendLedger(b []byte, n briefbot.Number) []byte {
	b = append(b, n.Kind.Prefix()...)
	b = append(b, '-')
	b = appendPadded(b, n.Year)
	b = append(b, '-')
	return appendPadded(b, n.Seq)
}

// appendPadded appends v with at least four digits.
func appendPadded(b []byte, v int) []byte {
	if v < 0 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	for p := 1000; p > 1 && v < p; p /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// formatDate writes t as a short date, with the year only if it is not ref's.
func formatDate(lang briefbot.Lang, t, ref time.Time) string {
	if t.Year() != ref.Year() {
		return t.Format(layoutDateYear.In(lang))
	}
	return t.Format(layoutShortDate.In(lang))
}

// formatDateTime writes t as a date and time, the year only if it is not ref's.
func formatDateTime(lang briefbot.Lang, t, ref time.Time) string {
	if t.Year() != ref.Year() {
		return t.Format(layoutDateTime.In(lang))
	}
	return t.Format(layoutShortDate.In(lang)) + " " + t.Format(layoutTime.In(lang))
}
