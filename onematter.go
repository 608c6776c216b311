package briefbot

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// 一文一事: a request asks for exactly one decision.
//
// CountMatters reads a request's requested item (请示事项) as a run of units: the text is
// cut at enumerators that form a sequence (1、2、 / （一）（二） / 一是…二是… / ①② /
// 第一，第二， / 其一，其二，), at sentence ends, and at connectors that join a further ask
// (并请示, 同时请, 另请, 一并请示, 同时请求, "，并增加…", "以及…事项"). Then:
//
//   - The text before the first enumerator is the main ask, unless it is only a header
//     (请示事项：, 现请示如下：, 同意以下事项：).
//   - An enumeration is read from what introduces it. After a reason marker (理由：,
//     主要考虑：, 鉴于：, 原因是：) its items are reasons; after a specific ask
//     (同意调整内设机构，具体方案：) they are details or steps of that ask; after a header,
//     or a phrase that announces several matters (以下事项, 两个问题, 经费和编制问题), each
//     item is a matter, unless it opens with a reason word or is a label whose value asks
//     nothing (金额：200万元).
//   - Outside an enumeration, a further sentence that opens with a decision verb
//     (同意…。批准…) is a further ask; a connector followed by something new to decide
//     is one (a bare "并请示院党组审定" is not: it asks for the same decision).
//
// Numbers that are not enumerators stay put: dates (2026年3月1日), amounts (1.5万元),
// lists of numbers (1、2号法庭, 第3、4季度, 一、二审), case numbers（2026）沪01刑初10017号,
// ordinals (第一审, 第一次), legal citations (第（一）项), and anything quoted or in 《》.

// CountMatters returns how many distinct decisions the requested-item text s asks for;
// at least 1. A request may ask for one (一文一事).
func CountMatters(s string) int {
	t := foldMatterText(s)
	units := t.units(t.enumerators(), t.connectors())
	asks, items := 0, 0
	modes := map[int]enumMode{} // by chain
	inItems := false            // inside an enumeration: sentences continue an item
	lastCounted := false        // the latest non-item unit was counted as an ask
	var intro []rune            // what introduces the next enumeration
	for i, u := range units {
		text := t.r[u.textStart:u.textEnd]
		switch u.kind {
		case unitEnum:
			if _, ok := modes[u.chain]; !ok {
				m := classifyIntro(intro)
				modes[u.chain] = m
				if m == modeList && !inItems && lastCounted {
					asks-- // the header (同意以下事项：) is not an ask of its own
				}
			}
			if modes[u.chain] == modeList && itemIsMatter(text) {
				items++
			}
			inItems, lastCounted = true, false
			intro = append(intro[:0], text...)
		case unitConnector:
			lastCounted = isNewAsk(text)
			if lastCounted {
				asks++
			}
			inItems = false
			intro = append(intro[:0], text...)
		default: // the start, or a sentence
			if strings.TrimFunc(string(text), isSpaceOrPunct) == "" {
				intro = append(intro, text...)
				continue
			}
			if !inItems {
				lastCounted = isAskSentence(text) || i == 0 && !isHeader(text)
				if lastCounted {
					asks++
				}
			}
			if u.kind == unitSentence {
				intro = append(intro, t.r[u.start])
			}
			intro = append(intro, text...)
		}
	}
	return max(asks+items, 1)
}

// matterText is a requested-item text folded for CountMatters: full-width ASCII forms
// made half-width, runs of white space made one space or one line break.
type matterText struct {
	r      []rune
	quoted []bool
}

func foldMatterText(s string) matterText {
	var t matterText
	for _, r := range s {
		switch {
		case isLineBreak(r):
			if n := len(t.r); n > 0 && t.r[n-1] == ' ' {
				t.r[n-1] = '\n'
			} else if n == 0 || t.r[n-1] != '\n' {
				t.r = append(t.r, '\n')
			}
			continue
		case unicode.IsSpace(r):
			if n := len(t.r); n > 0 && t.r[n-1] != ' ' && t.r[n-1] != '\n' {
				t.r = append(t.r, ' ')
			}
			continue
		case isInvisible(r):
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '⋯':
			r = '…'
		}
		t.r = append(t.r, r)
	}
	t.quoted = quotedSpans(t.r, func(i int) bool { return i > 0 && t.r[i-1] == '\n' })
	return t
}

func (t *matterText) at(i int) rune {
	if i < 0 || i >= len(t.r) {
		return 0
	}
	return t.r[i]
}

func isSpaceOrPunct(r rune) bool { return unicode.IsSpace(r) || isPunct(r) }

// Enumerators.

type enumerator struct {
	start, end int // the marker, 1、 or （一） or 一是
	style      string
	val        int
	chain      int
}

// cjkNumber reads a Chinese numeral from 一 to 二十 at r[i:], returning its value and
// length, or 0, 0.
func cjkNumber(r []rune, i int) (val, n int) {
	digit := func(j int) int {
		if j < len(r) {
			if k := strings.IndexRune("一二三四五六七八九", r[j]); k >= 0 {
				return k/3 + 1 // IndexRune gives a byte offset; each numeral is 3 bytes
			}
		}
		return 0
	}
	switch {
	case i < len(r) && r[i] == '十':
		if d := digit(i + 1); d > 0 {
			return 10 + d, 2
		}
		return 10, 1
	case digit(i) == 2 && i+1 < len(r) && r[i+1] == '十':
		return 20, 2
	case digit(i) > 0:
		return digit(i), 1
	}
	return 0, 0
}

func isCJKNumeral(r rune) bool { return strings.ContainsRune("一二三四五六七八九十", r) }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// enumBoundary reports whether an enumerator may begin after prev: at the start, after
// a space, a line break or punctuation.
func enumBoundary(prev rune) bool {
	return prev == 0 || prev == ' ' || prev == '\n' || isPunct(prev) && prev != '.' && prev != '(' && prev != '"'
}

// 一是 inside these words is no enumerator: 统一是, 唯一是, 万一是, 原因之一是.
const yiShiWordBefore = "统唯专万划单均同合归逐之不第其"

// circledStyles are the numbered characters: ①, ⑴, ⒈, ❶, ➀, ➊ and their followers.
var circledStyles = []struct {
	first rune
	n     int
	style string
}{{'①', 20, "①"}, {'⑴', 20, "⑴"}, {'⒈', 20, "⒈"}, {'❶', 10, "❶"}, {'➀', 10, "➀"}, {'➊', 10, "➊"}}

// enumerators finds the enumerators of s that form sequences (1, 2, …) of one style;
// a lone "1、" or a "2、" with no 1 before it is not one.
func (t *matterText) enumerators() []enumerator {
	var cands []enumerator
	r := t.r
	for i := 0; i < len(r); i++ {
		if t.quoted[i] {
			continue
		}
		prev := t.at(i - 1)
		c := r[i]
		if e, ok := t.enumAt(i, prev, c); ok {
			cands = append(cands, e)
		}
	}
	// chains, per style
	byStyle := map[string][]int{}
	var styles []string
	for k, e := range cands {
		if _, ok := byStyle[e.style]; !ok {
			styles = append(styles, e.style)
		}
		byStyle[e.style] = append(byStyle[e.style], k)
	}
	var out []enumerator
	chainID := 0
	for _, st := range styles {
		var cur []enumerator
		finish := func() {
			if len(cur) >= 2 {
				chainID++
				for _, e := range cur {
					e.chain = chainID
					out = append(out, e)
				}
			}
			cur = nil
		}
		for _, k := range byStyle[st] {
			e := cands[k]
			switch {
			case len(cur) > 0 && e.val == cur[len(cur)-1].val+1:
				cur = append(cur, e)
			case e.val == 1:
				finish()
				cur = append(cur, e)
			}
		}
		finish()
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

// enumAt reads a candidate enumerator at r[i].
func (t *matterText) enumAt(i int, prev, c rune) (enumerator, bool) {
	r := t.r
	for _, cs := range circledStyles {
		if c >= cs.first && c < cs.first+rune(cs.n) {
			return enumerator{start: i, end: i + 1, style: cs.style, val: int(c-cs.first) + 1}, true
		}
	}
	switch {
	case c == '(':
		// (1) （一）, but not (2026) or 第（一）项
		j, val, style := i+1, 0, ""
		if isDigit(t.at(j)) {
			for j < len(r) && isDigit(r[j]) && j-i <= 2 {
				val = val*10 + int(r[j]-'0')
				j++
			}
			style = "(1)"
		} else if v, n := cjkNumber(r, j); n > 0 {
			val, j, style = v, j+n, "(一)"
		}
		if val < 1 || val > 20 || t.at(j) != ')' || prev == '第' || strings.ContainsRune("项款目条", t.at(j+1)) {
			return enumerator{}, false
		}
		return enumerator{start: i, end: j + 1, style: style, val: val}, true
	case isDigit(c) && !isDigit(prev):
		// 1、 1. 1) — not 1.5万元, 1、2号法庭, 第3、4季度, 2026.3.1
		j, val := i, 0
		for j < len(r) && isDigit(r[j]) {
			val = val*10 + int(r[j]-'0')
			j++
		}
		sep := t.at(j)
		if j-i > 2 || val < 1 || val > 20 || !strings.ContainsRune("、.)", sep) || isDigit(t.at(j+1)) {
			return enumerator{}, false
		}
		if !enumBoundary(prev) {
			// "…经费2、同意…": a follower may stick to the text before it
			if val < 2 || sep == ')' || !unicode.Is(unicode.Han, t.at(j+1)) || unicode.Is(unicode.Han, prev) && strings.ContainsRune("第约近共计达逾超", prev) {
				return enumerator{}, false
			}
		}
		return enumerator{start: i, end: j + 1, style: "1" + string(sep), val: val}, true
	case c == '第':
		// 第一， 第二、 — not 第一审, 第一次, 第一、二审
		v, n := cjkNumber(r, i+1)
		j := i + 1 + n
		if n == 0 || !strings.ContainsRune(",、:", t.at(j)) || isCJKNumeral(t.at(j+1)) || t.at(j+1) == '第' {
			return enumerator{}, false
		}
		return enumerator{start: i, end: j + 1, style: "第", val: v}, true
	case c == '其':
		// 其一， 其二：
		v, n := cjkNumber(r, i+1)
		j := i + 1 + n
		if n == 0 || !strings.ContainsRune(",、:是", t.at(j)) || t.at(j) == '是' && t.at(j+1) == '否' {
			return enumerator{}, false
		}
		return enumerator{start: i, end: j + 1, style: "其", val: v}, true
	case isCJKNumeral(c) && !isCJKNumeral(prev):
		v, n := cjkNumber(r, i)
		j := i + n
		switch {
		case n > 0 && t.at(j) == '是' && t.at(j+1) != '否' && !strings.ContainsRune(yiShiWordBefore, prev) && v <= 10:
			// 一是 二是
			return enumerator{start: i, end: j + 1, style: "是", val: v}, true
		case n > 0 && t.at(j) == '、' && enumBoundary(prev) && !isCJKNumeral(t.at(j+1)) && t.at(j+1) != '第':
			// 一、 二、 — not 一、二审
			return enumerator{start: i, end: j + 1, style: "一、", val: v}, true
		}
	}
	return enumerator{}, false
}

// Connectors: words that join a further ask.

type connector struct{ start, end int }

var (
	connPrefixes = []string{"同时还", "同时也", "并且", "另外", "此外", "一并", "以及", "同时", "并", "另", "还", "再"}
	connAsks     = []string{"请示", "请求", "恳请", "报请", "提请", "请"}
	// decision verbs that, after 同时, "，并" or a conjunction, start a second decision:
	// 同意追加经费200万元，并增加编制5名.
	joinVerbs = []string{"同意", "批准", "审批", "核准", "增加", "追加", "拨付", "核拨", "调整", "任命", "免去",
		"授权", "设立", "增设", "核增", "撤销", "明确", "解决"}
	// decision verbs after 一并: 一并批准.
	yiBingVerbs = []string{"请示", "请求", "批准", "同意", "审批", "解决", "研究", "予以", "核拨", "拨付", "审定", "明确"}
	// 以及…事项 / …事项和…事项 at the end of a clause
	matterNounRE = regexp.MustCompile(`^[^。;!?\n,]{1,40}?(事项|问题)(的请示)?($|[。;!?\n,])`)
)

func hasPrefixAny(s string, list []string) string {
	for _, w := range list {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

func (t *matterText) connectors() []connector {
	var out []connector
	r := t.r
	for i := 0; i < len(r); i++ {
		if t.quoted[i] {
			continue
		}
		rest := string(r[i:min(len(r), i+50)])
		prev := t.at(i - 1)
		if p := hasPrefixAny(rest, connPrefixes); p != "" {
			after := rest[len(p):]
			pn := len([]rune(p))
			if p != "并" && p != "一并" && strings.HasPrefix(after, ",") {
				after = after[1:] // 同时，同意…
			}
			excluded := p == "并" && strings.ContainsRune("合兼吞归", prev) ||
				p == "还" && strings.ContainsRune("归偿退返交送发", prev) ||
				p == "并" && prev == '一' // 一并, read as itself
			switch {
			case excluded:
			case hasPrefixAny(after, connAsks) != "":
				out = append(out, connector{i, i + pn})
				i += pn - 1
				continue
			case p == "一并" && hasPrefixAny(after, yiBingVerbs) != "":
				out = append(out, connector{i, i + pn})
				i += pn - 1
				continue
			case (p != "并" || strings.ContainsRune(",;。", prev) || hasPrefixAny(after, []string{"同意", "批准", "审批", "核准"}) != "") &&
				hasPrefixAny(after, joinVerbs) != "":
				// 同时同意…, 另外同意…, "，并增加…", 并同意…
				out = append(out, connector{i, i + pn})
				i += pn - 1
				continue
			}
		}
		// 以及…事项, and 事项和…事项
		if strings.HasPrefix(rest, "以及") && matterNounRE.MatchString(rest[len("以及"):]) {
			out = append(out, connector{i, i + 2})
			i++
			continue
		}
		if strings.ContainsRune("和及与、", r[i]) && i >= 2 && (string(r[i-2:i]) == "事项" || string(r[i-2:i]) == "问题") &&
			matterNounRE.MatchString(string(r[i+1:min(len(r), i+50)])) {
			out = append(out, connector{i, i + 1})
			continue
		}
		// 追加经费200万元和增加编制5名: a conjunction, then a second decision verb, after a
		// first one with its object in the same clause
		if strings.ContainsRune("和及与、", r[i]) && hasPrefixAny(string(r[i+1:min(len(r), i+3)]), joinVerbs) != "" && t.verbBefore(i) {
			out = append(out, connector{i, i + 1})
		}
	}
	return out
}

// verbBefore reports whether a join verb and at least two characters of its object
// stand before r[i] in the same clause.
func (t *matterText) verbBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-40; k-- {
		if strings.ContainsRune(",;。:\n", t.r[k]) {
			return false
		}
		if k <= i-4 && hasPrefixAny(string(t.r[k:i-2]), joinVerbs) != "" {
			return true
		}
	}
	return false
}

// Units.

type unitKind int

const (
	unitStart unitKind = iota
	unitSentence
	unitEnum
	unitConnector
)

type unit struct {
	kind               unitKind
	start              int // the marker
	textStart, textEnd int
	chain              int
}

// units cuts the text at enumerators, connectors and sentence ends.
func (t *matterText) units(enums []enumerator, conns []connector) []unit {
	var cuts []unit
	for _, e := range enums {
		cuts = append(cuts, unit{kind: unitEnum, start: e.start, textStart: e.end, chain: e.chain})
	}
	for _, c := range conns {
		cuts = append(cuts, unit{kind: unitConnector, start: c.start, textStart: c.end})
	}
	for i, c := range t.r {
		if strings.ContainsRune("。;!?\n", c) && !t.quoted[i] {
			cuts = append(cuts, unit{kind: unitSentence, start: i, textStart: i + 1})
		}
	}
	sort.SliceStable(cuts, func(a, b int) bool { return cuts[a].start < cuts[b].start })
	out := []unit{{kind: unitStart}}
	for _, c := range cuts {
		last := &out[len(out)-1]
		if c.start < last.textStart {
			continue // overlaps the marker before it
		}
		out = append(out, c)
	}
	for k := range out {
		if k+1 < len(out) {
			out[k].textEnd = out[k+1].start
		} else {
			out[k].textEnd = len(t.r)
		}
	}
	return out
}

// Reading the units.

type enumMode int

const (
	modeList    enumMode = iota + 1 // each item is a matter
	modeDetails                     // the items detail one ask
	modeReasons                     // the items are reasons
)

var (
	reasonWords = []string{"理由", "原因", "考虑", "鉴于", "因为", "由于", "基于", "依据", "必要性", "背景", "事实如下"}
	severalRE   = regexp.MustCompile(`(以下|下列|如下)(几|两|三|四|五|六)?(个|项|件)?(事项|问题|事)|(两|三|四|五|六|几|多|若干)(个|项|件)(事项|问题|事)|(两|三|四|五|六)(事项|问题)|(两|三|四|五|六|几|多)个?方面的?(内容|事项|问题)|(事项|问题)如下|(事项|问题|请示)(有|共|计)(二|两|三|四|五|几)|分别请示|逐项请示|[和及与、][^,;。:\n]{1,12}(问题|事项)`)
	// what a header is made of: 现就以下事项请示如下：, 请示院党组：
	headerWords = []string{"请示事项", "请求事项", "请示如下", "现就", "现将", "现", "就", "特此", "特", "有关", "相关",
		"以下", "下列", "如下", "几个", "两个", "三个", "四个", "两项", "三项", "四项", "事项", "问题", "请示", "请求", "恳请",
		"报请", "提请", "具体", "内容", "我院", "本院", "院党组", "市委政法委", "区委政法委", "县委政法委", "政法委", "党组",
		"党委", "上级", "领导", "贵委", "同意", "批准", "审批", "主要", "向", "对", "的", "拟", "请", "是", "为", "如", "下"}
	// what may come before the decision verb of an ask: 请示院党组同意, 拟请, 特
	courtesyWords = []string{"请示", "请求", "恳请", "敬请", "拟请", "提请", "报请", "申请", "建议", "院党组", "市委政法委",
		"政法委", "党组", "党委", "上级", "领导", "贵委", "予以", "请", "拟", "特", "现", "予"}
	decisionVerbs = []string{"同意", "批准", "审批", "核准", "决定", "研究", "明确", "解决", "拨付", "核拨", "划拨", "追加",
		"增加", "增设", "增配", "核增", "调整", "授权", "设立", "成立", "撤销", "任命", "免去", "聘任", "核定", "核销",
		"购置", "采购", "配备", "提级", "指定", "变更", "延长", "启动", "召开", "举办", "开展", "给予", "支持", "协调",
		"审定", "确定", "准予", "允许", "恢复", "暂停", "取消", "选派", "派员", "抽调", "借调", "新增", "印发", "发布",
		"组建", "启用", "试行", "实施"}
	// decision verbs that ask for nothing new after a connector: 并请示院党组审定
	bareVerbs = []string{"批准", "审定", "同意", "批示", "决定", "审批", "研究", "核准", "批复", "指示", "定夺", "审议"}
)

// classifyIntro says how to read the enumeration that intro introduces.
func classifyIntro(intro []rune) enumMode {
	s := strings.TrimRightFunc(string(intro), isSpaceOrPunct)
	last := s[strings.LastIndexAny(s, ",;。\n!?")+1:]
	for _, w := range reasonWords {
		if strings.Contains(last, w) {
			return modeReasons
		}
	}
	if severalRE.MatchString(s) || isHeader(intro) {
		return modeList
	}
	return modeDetails
}

// isHeader reports whether text is only a header: 请示事项：, 现就有关事项请示如下：.
func isHeader(text []rune) bool {
	s := strings.Map(func(r rune) rune {
		if isSpaceOrPunct(r) {
			return -1
		}
		return r
	}, string(text))
	for s != "" {
		w := hasPrefixAny(s, headerWords)
		if w == "" {
			return false
		}
		s = s[len(w):]
	}
	return true
}

// stripCourtesy drops leading spaces, punctuation and courtesy words.
func stripCourtesy(text []rune) string {
	s := strings.TrimLeftFunc(string(text), isSpaceOrPunct)
	for {
		w := hasPrefixAny(s, courtesyWords)
		if w == "" {
			return s
		}
		s = strings.TrimLeftFunc(s[len(w):], isSpaceOrPunct)
	}
}

// isAskSentence reports whether a sentence outside an enumeration asks for a decision of
// its own: it opens with a decision verb, or names a matter (关于××的问题).
func isAskSentence(text []rune) bool {
	s := stripCourtesy(text)
	if hasPrefixAny(s, decisionVerbs) != "" {
		return true
	}
	s = strings.TrimRightFunc(s, isSpaceOrPunct)
	return strings.HasPrefix(s, "关于") && (strings.HasSuffix(s, "问题") || strings.HasSuffix(s, "事项"))
}

// isNewAsk reports whether the text after a connector asks for something new, not just
// for the same decision again (并请示院党组审定).
func isNewAsk(text []rune) bool {
	s := stripCourtesy(text)
	for {
		w := hasPrefixAny(s, bareVerbs)
		if w == "" {
			break
		}
		s = stripCourtesy([]rune(s[len(w):]))
	}
	s = strings.TrimFunc(s, isSpaceOrPunct)
	return len([]rune(s)) >= 2
}

// itemIsMatter reports whether an item of a listed enumeration is a matter to decide:
// not a reason (因为…), not a label with a value that asks nothing (金额：200万元).
func itemIsMatter(text []rune) bool {
	s := strings.TrimFunc(string(text), isSpaceOrPunct)
	if s == "" || hasPrefixAny(s, reasonWords) != "" {
		return false
	}
	rs := []rune(s)
	for k := 1; k < len(rs) && k <= 6; k++ {
		if strings.ContainsRune(",;。、", rs[k]) {
			break
		}
		if rs[k] == ':' {
			label := string(rs[:k])
			if hasPrefixAny(label, decisionVerbs) != "" || strings.HasPrefix(label, "关于") {
				break
			}
			return hasPrefixAny(stripCourtesy(rs[k+1:]), decisionVerbs) != ""
		}
	}
	return true
}
