package briefbot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Classification markings: 绝密, 机密 and 秘密 as a label on a text (密级和保密期限),
// not as words in it. 机密 and 秘密 are ordinary words in legal text (商业秘密, 机密性,
// 泄露国家秘密罪, 秘密侦查, 秘密窃取), so they count only in the shapes a label takes:
//
//   - followed by a star: 秘密★, 机密★10年, 秘密*6个月 (the header convention, anywhere);
//   - followed by a period (保密期限) when not glued to a preceding character: 秘密 5年,
//     机密 长期 (商业秘密5年 is a sentence, not a label);
//   - followed by 级: 秘密级, 机密级, 绝密级 (but not 级别: 商业秘密级别);
//   - bracketed: （秘密）【机密】〔绝密〕, anywhere;
//   - after 密级 (or 保密级别), with at most a few linking characters: 密级：秘密,
//     密级为机密, 保密级别: 秘密;
//   - free standing: at the start of the text or after a blank, bracket or colon, and
//     followed by the end, a blank, a closing bracket, a star or a colon. That covers
//     a label alone on a line, at the very start of a text ("秘密 关于……的请示"), or
//     set apart by blanks, but not 机密性要求 or 秘密侦查措施 at the start of a line.
//
// 绝密 is not an ordinary word: it counts anywhere, except in the two places where
// ordinary text carries it without marking anything. One is the enumeration of the
// levels, as the law words it (非法持有国家绝密、机密文件、资料、物品罪; 国家秘密的密级
// 分为绝密、机密、秘密三级): 绝密 glued to the word before it and followed by 、机密. The
// other is a 绝 that ends a word next to a 密 that starts one (拒绝密切配合, 杜绝密码泄露,
// 断绝密切往来). Either way a marking shape around it still counts. A topic such as
// 绝密文件 in a case title is refused: it can be written 涉密文件 or 国家秘密.
//
// The text is first folded by foldMarkingText, so that none of this can be evaded by
// spaces, invisible characters, full-width or traditional forms, or look-alike stars
// and brackets.

// HasClassificationMarking reports whether s carries a classification marking (绝密,
// 机密 or 秘密 in the shape of a label, with or without ★ and a period). Such text must
// never enter the bot.
func HasClassificationMarking(s string) bool {
	// Every marking has 密 (or its variant 宻), which folding never produces from
	// anything else: most texts end here, cheaply.
	if !strings.Contains(s, "密") && !strings.Contains(s, "宻") {
		return false
	}
	return hasMarking(foldMarking(s))
}

// foldMarkingText returns s in the canonical form the detector reads:
//
//   - every run of white space (any Unicode space, tab, line break) becomes one blank
//     " ", which the detector skips between characters but takes as a word boundary;
//   - format characters (category Cf: zero-width spaces and joiners, word joiner, BOM,
//     soft hyphen, bidi controls, tags), other controls, combining marks, variation
//     selectors, Hangul fillers and invalid bytes are dropped;
//   - full-width and small-form ASCII become ASCII (ＡＢＣ１２３：→ ABC123:);
//   - every star and asterisk look-alike (★☆✩✪✫✬✭✮✯✰⋆＊*٭⭐…) becomes ★;
//   - every opening bracket (Unicode Ps: （【〔［《「『〖 and the ASCII ones, plus < ＜)
//     becomes "[", every closing one "]";
//   - traditional and variant forms of the characters the detector reads become the
//     simplified ones (絕絶→绝, 機→机, 祕袐㊙→秘, 宻→密, 級→级, 長→长, 個→个, …), and
//     the compatibility forms of numerals and 年/月 become the plain ones.
func foldMarkingText(s string) string {
	return string(foldMarking(s))
}

// Folding results that are not a rune to keep.
const (
	foldDrop  = -1
	foldBlank = ' '
)

func foldMarking(s string) []rune {
	out := make([]rune, 0, len(s)/3+8)
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				continue // an invalid byte shows nothing
			}
		}
		switch c := foldRune(r); c {
		case foldDrop:
		case foldBlank:
			if n := len(out); n == 0 || out[n-1] != foldBlank {
				out = append(out, foldBlank)
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

// foldRune folds one rune (see foldMarkingText): the canonical rune, foldBlank or
// foldDrop.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		switch {
		case r == ' ' || r >= '\t' && r <= '\r':
			return foldBlank
		case r < ' ' || r == 0x7f:
			return foldDrop
		case r == '*':
			return '★'
		case r == '(' || r == '[' || r == '{' || r == '<':
			return '['
		case r == ')' || r == ']' || r == '}' || r == '>':
			return ']'
		}
		return r
	}
	if r >= 0x4e00 && r <= 0x9fff { // CJK unified ideographs: the bulk of the text
		return foldHan(r)
	}
	switch {
	case r >= 0xff01 && r <= 0xff5e: // full-width ASCII
		return foldRune(r - 0xfee0)
	case r >= 0xfe50 && r <= 0xfe6b: // small form variants
		if a := smallForms[r-0xfe50]; a != 0 {
			return foldRune(a)
		}
	case r == 0x0359 || r == 0x20f0: // combining asterisks: a star, not a mark to drop
		return '★'
	case isStar(r):
		return '★'
	case unicode.IsSpace(r), r == 0x2800: // (braille blank shows as a space)
		return foldBlank
	case r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0: // Hangul fillers
		return foldDrop
	case !unicode.IsGraphic(r), unicode.In(r, unicode.Mn, unicode.Me):
		return foldDrop // Cf, Cc, Co, unassigned; combining marks and variation selectors
	case unicode.Is(unicode.Ps, r):
		return '['
	case unicode.Is(unicode.Pe, r):
		return ']'
	}
	switch r {
	case 0x2236, 0xfe30, 0xfe13, 0xa789: // ∶ ︰ ︓ ꞉
		return ':'
	case 0x3001, 0xfe11, 0xff64: // 、 ︑ ､
		return '、'
	case 0x3299: // ㊙
		return '秘'
	case 0x2f49, 0x328a, 0x1f237: // ⽉ ㊊ 🈷
		return '月'
	case 0x2fa7: // ⾧
		return '长'
	case 0x2f00, 0x3192, 0x3280, 0x1f229: // ⼀ ㆒ ㊀ 🈩
		return '一'
	case 0x2f06, 0x3193, 0x3281, 0x1f214: // ⼆ ㆓ ㊁ 🈔
		return '二'
	case 0x3194, 0x3282, 0x1f22a: // ㆔ ㊂ 🈪
		return '三'
	case 0x2f0b, 0x3287: // ⼋ ㊇
		return '八'
	case 0x2f17, 0x3038, 0x3289: // ⼗ 〸 ㊉
		return '十'
	case 0xf98e: // CJK compatibility ideograph 年
		return '年'
	case 0xf9d1: // CJK compatibility ideograph 六
		return '六'
	}
	return r
}

// foldHan folds the traditional and variant forms of the ideographs the detector reads.
func foldHan(r rune) rune {
	switch r {
	case '絕', '絶':
		return '绝'
	case '機':
		return '机'
	case '祕', '袐':
		return '秘'
	case '宻':
		return '密'
	case '級':
		return '级'
	case '別':
		return '别'
	case '長':
		return '长'
	case '個', '箇':
		return '个'
	case '兩':
		return '两'
	case '國':
		return '国'
	case '為', '爲':
		return '为'
	case '屬':
		return '属'
	case '於':
		return '于'
	case '標':
		return '标'
	case '註':
		return '注'
	case '識':
		return '识'
	}
	return r
}

// smallForms maps U+FE50..U+FE6B to ASCII (0: not folded here).
var smallForms = [...]rune{
	',', '、', '.', 0, ';', ':', '?', '!', 0, '(', ')', '{', '}', '[', ']', '#',
	'&', '*', '+', '-', '<', '>', '=', 0, '\\', '$', '%', '@',
}

// isStar reports whether r is a star or an asterisk look-alike (outside ASCII).
func isStar(r rune) bool {
	switch {
	case r == 0x066d, r == 0x204e, r == 0x2051, r == 0x2042, r == 0x2217, r == 0x229b,
		r == 0x22c6, r == 0x235f, r == 0x2605, r == 0x2606, r == 0x269d, r == 0x2721,
		r == 0x29c6, r == 0xa673, r == 0xfe61, r == 0xff0a, r == 0x10af0,
		r == 0x1f31f, r == 0x1f52f:
		return true
	case r >= 0x26e4 && r <= 0x26e7, // pentagrams
		r >= 0x2722 && r <= 0x273d, // ✢..✽ stars and asterisks
		r >= 0x2742 && r <= 0x2743, r >= 0x2749 && r <= 0x274b,
		r >= 0x2b50 && r <= 0x2b52,   // ⭐⭑⭒
		r >= 0x2be8 && r <= 0x2beb,   // half stars
		r >= 0x1f7af && r <= 0x1f7d4: // geometric stars and asterisks
		return true
	}
	return false
}

// hasMarking is the detector: it reads folded text and finds 绝密, 机密 or 秘密 (blanks
// between the characters allowed) in the shape of a label.
func hasMarking(f []rune) bool {
	for p := 1; p < len(f); p++ {
		if f[p] != '密' {
			continue
		}
		q := prevRune(f, p)
		if q < 0 || (f[q] != '绝' && f[q] != '机' && f[q] != '秘') {
			continue
		}
		if markingAt(f, q, p) {
			return true
		}
	}
	return false
}

// markingAt reports whether the word 绝密, 机密 or 秘密 whose first character is f[q]
// and whose 密 is f[p] is a marking.
func markingAt(f []rune, q, p int) bool {
	n := nextRune(f, p)
	var after rune
	if n < len(f) {
		after = f[n]
	}
	switch after {
	case '★': // 秘密★, 机密★10年
		return true
	case '级': // 秘密级, but not 秘密级别
		if m := nextRune(f, n); m == len(f) || f[m] != '别' {
			return true
		}
	case ']': // （秘密）
		if b := prevRune(f, q); b >= 0 && f[b] == '[' {
			return true
		}
	}
	if !(q > 0 && isHan(f[q-1])) && periodAt(f, n) { // 秘密 5年, 机密 长期
		return true
	}
	if freeLeft(f, q) && freeRight(f, p) { // a label on its own
		return true
	}
	if afterMiji(f, q) { // 密级：秘密
		return true
	}
	return f[q] == '绝' && !ordinaryJuemi(f, q, p)
}

// prevRune returns the index of the last non-blank rune before i, or -1.
func prevRune(f []rune, i int) int {
	for i--; i >= 0 && f[i] == foldBlank; i-- {
	}
	return i
}

// nextRune returns the index of the first non-blank rune after i, or len(f).
func nextRune(f []rune, i int) int {
	for i++; i < len(f) && f[i] == foldBlank; i++ {
	}
	return i
}

func isHan(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fff || r >= 0x3400 && unicode.Is(unicode.Han, r)
}

// freeLeft: the word starts the text or follows a blank, a bracket or a colon.
func freeLeft(f []rune, q int) bool {
	if q == 0 {
		return true
	}
	switch f[q-1] {
	case foldBlank, '[', ']', ':':
		return true
	}
	return false
}

// freeRight: the word ends the text or is followed by a blank, a closing bracket, a
// star or a colon.
func freeRight(f []rune, p int) bool {
	if p+1 == len(f) {
		return true
	}
	switch f[p+1] {
	case foldBlank, ']', '★', ':':
		return true
	}
	return false
}

// periodAt reports whether a 保密期限 starts at f[i]: a number and 年, 月 or 个月, or
// 长期 (blanks allowed between).
func periodAt(f []rune, i int) bool {
	digits := false
	for i < len(f) && isNumeral(f[i]) {
		digits = true
		i = nextRune(f, i)
	}
	at := func(r rune) bool {
		if i < len(f) && f[i] == r {
			i = nextRune(f, i)
			return true
		}
		return false
	}
	if digits {
		return at('年') || at('月') || at('个') && at('月')
	}
	return at('长') && at('期')
}

func isNumeral(r rune) bool {
	if r >= '0' && r <= '9' {
		return true
	}
	switch r {
	case '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '两', '半', '廿':
		return true
	}
	return r >= utf8.RuneSelf && unicode.IsNumber(r)
}

// afterMiji reports whether the word at f[q] follows 密级 (or 密级别), with at most a
// few linking characters between: 密级：秘密, 密级为机密, 密级标注为“秘密”.
func afterMiji(f []rune, q int) bool {
	i := prevRune(f, q)
	for steps := 0; i >= 0 && steps < 8; steps++ {
		switch f[i] {
		case '级':
			if j := prevRune(f, i); j >= 0 && f[j] == '密' {
				return true
			}
			return false
		case ':', '[', ']', '=', '-', '/', '|', '"', '\'', '“', '”', '‘', '’',
			'为', '是', '属', '于', '定', '标', '注', '识', '别':
		default:
			return false
		}
		i = prevRune(f, i)
	}
	return false
}

// ordinaryJuemi reports whether the 绝密 at f[q], f[p] is one of the two places ordinary
// text carries it: the enumeration of the levels (国家绝密、机密文件; 分为“绝密”“机密”
// “秘密”三级), or a 绝 that ends a word next to a 密 that starts one (拒绝密切配合).
func ordinaryJuemi(f []rune, q, p int) bool {
	if q == 0 {
		return false
	}
	before := f[q-1]
	switch before {
	case '拒', '杜', '断', '隔', '根', '灭', '谢', '回':
		if p+1 < len(f) && isHan(f[p+1]) {
			return true
		}
	}
	if !isHan(before) && !isQuote(before) {
		return false
	}
	i, sep := nextRune(f, p), false
	for ; i < len(f); i = nextRune(f, i) {
		if f[i] != '、' && f[i] != ',' && !isQuote(f[i]) {
			break
		}
		sep = true
	}
	if !sep || i == len(f) || f[i] != '机' {
		return false
	}
	j := nextRune(f, i)
	return j < len(f) && f[j] == '密'
}

func isQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '”', '‘', '’':
		return true
	}
	return false
}
