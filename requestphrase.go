package briefbot

import (
	"slices"
	"strings"
	"unicode"
)

// 报告不得夹带请示事项: a report or filing must not ask its superior for a decision.
//
// FindRequestPhrase looks for request phrasings in a report's title and body. A phrase
// found counts only where it asks the reader now; the same words in a narrative of what
// was done, in a quoted title or in the name of the rules do not:
//
//	请予批准。                              asks                 (refused)
//	该方案已报请院党组批准。                 already done          (accepted)
//	根据对《关于××的请示》的批复……          a quoted title        (accepted)
//	按照重大事项请示报告制度……              the rules' name       (accepted)
//
// Reading is not deciding: 请阅示, 请阅知, 请审阅, 请参阅 and 请予备案 ask the leader to
// read (the matter may end at 圈阅) or the office to file, so they are not request
// phrasings, even after 妥否. 请批示, 请审批, 请审定, 请批准, 请批复, 请指示 and the like
// ask for a decision and are.

// DefaultRequestPhrases returns the default request phrasings, most specific first: the
// first found is the one the refusal quotes.
func DefaultRequestPhrases() []string {
	return []string{
		// the closing formulas of a request
		"妥否，请批示", "当否，请批示", "妥否，请示", "当否，请示", "特此请示",
		// asking for a decision, word for word
		"请批示", "请审批", "请批准", "请予批准", "请予审批", "请审定", "请予审定", "请核准", "请予核准",
		"请批复", "请予批复", "请指示", "请核示", "请同意", "请予同意", "请定夺", "请决定", "请批转", "请予支持",
		// the same with the one asked, 予以 or an adverb between: 请院党组予以批准, 请尽快批示
		"请…批示", "请…审批", "请…批准", "请…审定", "请…核准", "请…批复", "请…指示", "请…同意",
		"请…研究决定", "请…研究", "请…决定", "请…定夺", "请…批转", "请…协调解决", "请…予以支持", "请…给予支持",
		"请…审议", "请…签批", "请…审示", "请…明示",
		// the verb itself: 现请示如下, 特向院党组请示, 可否，请示, a title "关于××的请示"
		"请示",
	}
}

// Phrases are matched in text folded by foldPhraseText: white space is dropped (a line
// break is remembered as a sentence boundary), full-width ASCII forms become half-width,
// and 、 becomes a comma. In a phrase:
//   - a punctuation mark stands for any one punctuation mark or none, so "妥否，请批示"
//     also matches "妥否请批示" and "妥否? 请 批示";
//   - "…" (or "...") stands for up to phraseGap characters of one clause, so "请…批准"
//     matches 请予批准, 请院党组予以批准 and 请求批准.
const phraseGap = 12

// The words around a match that decide whether it asks now.
var (
	// A 请 that ends one of these words is not the imperative 请 (申请批准 is applied
	// for, from someone else).
	wordBeforeQing = "申邀聘宴约延"
	// 报请, 提请, 转请 and the verb 请示 narrate a step (报请审定后印发, 已向党组请示) as
	// often as they ask; they ask only with a present marker.
	narrativeBeforeQing = "报提转"
	// Markers that the asking is now: 现将…报请审定, 特此请示, 为此特请示, 当否，请示.
	presentMarkers = []string{
		"现将", "现就", "现报", "现请", "现提", "现呈", "现对", "现把", "现予", "现拟", "现特", "现向", "现按", "现由",
		"特此", "特向", "特报", "特请", "特提", "特呈", "特就", "特将", "兹将", "兹就", "兹报", "兹向", "兹请",
		"谨将", "谨就", "谨向", "谨请", "专此", "为此",
		"当否", "妥否", "可否", "是否妥当", "是否可行", "是否同意", "如无不妥", "如无不当", "如无异议",
	}
	// Markers that the words tell what was done, is not needed, or was not done.
	pastMarkers = []string{
		"已", "曾", "未", "业经", "此前", "之前", "先前", "前期", "日前", "早前", "事先",
		"无需", "无须", "不需", "不必", "不用", "不再", "不得",
	}
	// 经 is a past marker (经党组审定, 经请示) except in these words.
	jingWords = "费济营常验典纬历办手理"
	// The one asked is never the reporting court itself: 当事人请求法院解决 is narrative.
	notAddressee = []string{"我院", "本院", "我庭", "本庭", "我们", "我局", "我处", "法院", "当事人"}
	// 请示 followed by one of these is a noun (请示报告制度, 请示的批复, 请示件).
	qingshiNoun = []string{
		"报告", "事项", "件", "函", "的", "批复", "答复", "制度", "工作", "内容", "文件", "程序", "稿",
		"后", "时", "了", "过", "和", "与", "及", "等", "精神", "要求", "范围", "情况", "材料", "规定", "条例",
	}
	presentMarkerRunes, pastMarkerRunes = runeSlices(presentMarkers), runeSlices(pastMarkers)
	// …and so is 请示 after one of these (该请示, 此请示, 两份请示), except in a title line.
	qingshiNounBefore = "的该此原本份项"
)

// FindRequestPhrase returns the first of phrases that s uses to ask for a decision, or
// "" if none. Comparison ignores white space and the difference between full-width and
// half-width punctuation; a phrase inside quotation marks or a book title (《…》), in a
// past or negated narrative (已报请批准, 经请示党组同意, 无需请示) or naming the rules
// (请示报告制度) is not a use. See the comment at the top of this file.
func FindRequestPhrase(s string, phrases []string) string {
	t := foldPhraseText(s)
	for _, p := range phrases {
		parts := compilePhrase(p)
		if len(parts) == 0 {
			continue
		}
		for start := range t.r {
			if end, ok := t.matchAt(start, parts); ok && t.asks(start, end, parts) {
				return p
			}
		}
	}
	return ""
}

// phraseText is a text folded for phrase matching.
type phraseText struct {
	r      []rune
	brk    []bool // brk[i]: a line break came just before r[i]
	punct  []bool // punct[i]: r[i] is punctuation
	quoted []bool // quoted[i]: r[i] is inside quotation marks or 《》
}

// foldForPhrase folds s the way phrases and texts are compared: white space dropped,
// full-width ASCII forms made half-width, 、 made a comma.
func foldForPhrase(s string) string {
	return string(foldPhraseText(s).r)
}

func foldPhraseText(s string) phraseText {
	var t phraseText
	pendingBreak := false
	for _, r := range s {
		switch {
		case isLineBreak(r):
			pendingBreak = true
			continue
		case unicode.IsSpace(r) || isInvisible(r):
			continue
		}
		r = foldPhraseRune(r)
		t.r = append(t.r, r)
		t.brk = append(t.brk, pendingBreak)
		t.punct = append(t.punct, isPunct(r))
		pendingBreak = false
	}
	t.quoted = quotedSpans(t.r, func(i int) bool { return t.brk[i] })
	return t
}

func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

// foldPhraseRune folds full-width punctuation to half-width for phrase matching.
func foldPhraseRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～': // full-width ASCII block
		return r - 0xFEE0
	case r == '、':
		return ','
	case r == '⋯':
		return '…'
	}
	return r
}

// quotedSpans marks the runes inside paired quotation marks and book-title marks. A mark
// left open, or closed more than 400 characters later, quotes nothing; a line break
// closes every open mark. brk(i) reports a line break before r[i].
func quotedSpans(r []rune, brk func(int) bool) []bool {
	const maxSpan = 400
	quoted := make([]bool, len(r))
	type open struct {
		closer rune
		at     int
	}
	var stack []open
	for i, c := range r {
		if brk(i) {
			stack = stack[:0]
		}
		if c == '"' && len(stack) > 0 && stack[len(stack)-1].closer == '"' || c != '"' && isCloser(c) {
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].closer == c {
					if i-stack[k].at <= maxSpan {
						for j := stack[k].at; j <= i; j++ {
							quoted[j] = true
						}
					}
					stack = stack[:k]
					break
				}
			}
			continue
		}
		if cl := closerOf(c); cl != 0 {
			stack = append(stack, open{cl, i})
		}
	}
	return quoted
}

func closerOf(c rune) rune {
	switch c {
	case '《':
		return '》'
	case '〈':
		return '〉'
	case '「':
		return '」'
	case '『':
		return '』'
	case '“':
		return '”'
	case '‘':
		return '’'
	case '"':
		return '"'
	}
	return 0
}

func isCloser(c rune) bool {
	return strings.ContainsRune("》〉」』”’", c)
}

// compilePhrase folds p and splits it at its wildcards ("…" or "..."); empty parts go.
func compilePhrase(p string) [][]rune {
	f := strings.ReplaceAll(foldForPhrase(p), "...", "…")
	var parts [][]rune
	for _, s := range strings.Split(f, "…") {
		part := []rune(strings.TrimFunc(s, isPunct))
		if len(part) > 0 {
			parts = append(parts, part)
		}
	}
	return parts
}

func isPunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// matchAt matches the phrase parts at t.r[start:], returning the end of the match.
// Between parts lie at most phraseGap characters with no punctuation and no line break.
func (t *phraseText) matchAt(start int, parts [][]rune) (int, bool) {
	i, ok := t.matchPart(start, parts[0])
	if !ok {
		return 0, false
	}
	for _, part := range parts[1:] {
		found := false
		for j := i; j <= i+phraseGap && j < len(t.r); j++ {
			if t.brk[j] {
				break // the gap would cross a line
			}
			if end, ok := t.matchPart(j, part); ok {
				i, found = end, true
				break
			}
			if t.punct[j] {
				break // the gap would cross a clause
			}
		}
		if !found {
			return 0, false
		}
	}
	return i, true
}

// matchPart matches one part at t.r[i:]. A punctuation mark in the part matches one
// punctuation mark in the text, or none.
func (t *phraseText) matchPart(i int, part []rune) (int, bool) {
	if i >= len(t.r) || t.r[i] != part[0] {
		return 0, false // the common case, cheaply (parts begin with no punctuation)
	}
	for _, p := range part {
		if isPunct(p) {
			if i < len(t.r) && t.punct[i] {
				i++
			}
			continue
		}
		if i >= len(t.r) || t.r[i] != p {
			return 0, false
		}
		i++
	}
	return i, true
}

// asks reports whether the match t.r[start:end] asks for a decision now.
func (t *phraseText) asks(start, end int, parts [][]rune) bool {
	if t.quoted[start] || t.quoted[end-1] {
		return false
	}
	head := start // the imperative 请, if the phrase has one
	for i := start; i < end; i++ {
		if t.r[i] == '请' {
			head = i
			break
		}
	}
	narrative := false
	if head == start && t.r[head] == '请' {
		prev := t.before(head)
		if strings.ContainsRune(wordBeforeQing, prev) {
			return false
		}
		narrative = strings.ContainsRune(narrativeBeforeQing, prev) || t.at(head+1) == '示'
	}
	// The one asked sits between 请 and the verb: never the court itself.
	if len(parts) > 1 && head < end {
		gap := string(t.r[head:end])
		for _, w := range notAddressee {
			if strings.Contains(gap, w) {
				return false
			}
		}
	}
	if !narrative {
		return !t.pastInClause(start)
	}
	if t.r[head] == '请' && t.at(head+1) == '示' {
		// the verb 请示, or the noun?
		if t.qingshiTitle(head) || t.qingshiLabel(head) {
			return true
		}
		if strings.ContainsRune(qingshiNounBefore, t.before(head)) {
			return false
		}
		after := string(t.r[head+2 : min(len(t.r), head+6)])
		if head+2 < len(t.r) && !t.brk[head+2] {
			for _, w := range qingshiNoun {
				if strings.HasPrefix(after, w) && !(w == "报告" && t.endsHere(head+4)) {
					return false
				}
			}
		}
	}
	switch t.nearestMarker(head) {
	case +1:
		return true
	case -1:
		return false
	}
	after := string(t.r[end:min(len(t.r), end+2)])
	return end < len(t.r) && !t.brk[end] && (strings.HasPrefix(after, "如下") || strings.HasPrefix(after, ":"))
}

// at returns t.r[i], or 0 outside the text.
func (t *phraseText) at(i int) rune {
	if i < 0 || i >= len(t.r) {
		return 0
	}
	return t.r[i]
}

// before returns the rune before t.r[i] on the same line, or 0.
func (t *phraseText) before(i int) rune {
	if i <= 0 || t.brk[i] {
		return 0
	}
	return t.r[i-1]
}

// endsHere reports whether a sentence ends at i: the text or line ends, or a sentence
// mark follows.
func (t *phraseText) endsHere(i int) bool {
	return i >= len(t.r) || t.brk[i] || isSentenceEnd(t.r[i])
}

func isSentenceEnd(r rune) bool {
	return strings.ContainsRune("。.!?;…", r)
}

func isClauseEnd(r rune) bool {
	return isSentenceEnd(r) || strings.ContainsRune(",:", r)
}

// qingshiTitle reports whether the 请示 at i ends a request's title line, "关于××的请示".
func (t *phraseText) qingshiTitle(i int) bool {
	if t.before(i) != '的' || !t.endsHere(i+2) {
		return false
	}
	j := i
	for j > 0 && !t.brk[j] && !isSentenceEnd(t.r[j-1]) {
		j--
	}
	for j < i && (isPunct(t.r[j]) || unicode.IsDigit(t.r[j]) || strings.ContainsRune("一二三四五六七八九十", t.r[j])) {
		j++
	}
	return strings.HasPrefix(string(t.r[j:i]), "关于")
}

// qingshiLabel reports whether the 请示 at i is a bracketed label of the document's kind:
// 关于××的报告（请示）.
func (t *phraseText) qingshiLabel(i int) bool {
	open, cl := t.before(i), t.at(i+2)
	return (open == '(' && cl == ')' || open == '[' && cl == ']' || open == '【' && cl == '】') && !t.pastInClause(i-1)
}

// pastInClause reports whether the clause before i tells of something done, not needed
// or not done.
func (t *phraseText) pastInClause(i int) bool {
	for k := i - 1; k >= 0 && k >= i-30; k-- {
		if isClauseEnd(t.r[k]) {
			return false
		}
		if t.markerEndsAt(k, pastMarkerRunes, true) {
			return true
		}
		if t.brk[k] {
			return false
		}
	}
	return false
}

// nearestMarker looks back from i through its sentence for the nearest present (+1) or
// past (-1) marker; 0 if none.
func (t *phraseText) nearestMarker(i int) int {
	for k := i - 1; k >= 0 && k >= i-40; k-- {
		if isSentenceEnd(t.r[k]) {
			return 0
		}
		if t.markerEndsAt(k, pastMarkerRunes, true) {
			return -1
		}
		if t.markerEndsAt(k, presentMarkerRunes, false) {
			return +1
		}
		// 以上 opening the sentence or clause: 以上方案，报请审定
		if t.r[k] == '上' && t.at(k-1) == '以' && (k-1 == 0 || t.brk[k-1] || isClauseEnd(t.r[k-2])) {
			return +1
		}
		if t.brk[k] {
			return 0
		}
	}
	return 0
}

// markerEndsAt reports whether one of markers ends at t.r[k]; with past, a lone 经
// counts too unless it begins a word such as 经费.
func (t *phraseText) markerEndsAt(k int, markers [][]rune, past bool) bool {
	for _, m := range markers {
		s := k - len(m) + 1
		if s < 0 || !slices.Equal(t.r[s:k+1], m) {
			continue
		}
		if len(m) == 1 && m[0] == '未' && t.at(k+1) == '来' { // 未来 is the future
			continue
		}
		return true
	}
	return past && t.r[k] == '经' && !strings.ContainsRune(jingWords, t.at(k+1))
}

func runeSlices(words []string) [][]rune {
	out := make([][]rune, len(words))
	for i, w := range words {
		out[i] = []rune(w)
	}
	return out
}
