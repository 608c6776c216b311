package schedules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
)

// Notice is the State Council General Office notice on one year's holiday arrangements
// (国务院办公厅关于2026年部分节假日安排的通知), read by ParseNotice.
type Notice struct {
	Year     int        // the year the notice arranges
	Holidays []Festival // in the order of the notice
	Workdays []string   // make-up working days (调休上班) of all the items, "2026-01-04", sorted
}

// Festival is one numbered item of a notice: "二、春节：2月15日……至23日……放假调休，共9天。
// 2月14日（周六）、2月28日（周六）上班。"
type Festival struct {
	Name  string   // as written: "春节", "国庆节、中秋节"
	Days  []string // the days off, "2026-02-15", sorted; a day may lie in December of the year before
	Total int      // the number of days the notice states (共9天, 放假1天): len(Days), or 0 when it states none
	// Workdays are the make-up working days the item itself names, sorted: they need
	// not be next to its days off (2026's 国庆节 names 9月20日, before 中秋节).
	Workdays []string
}

// maxNoticeSize bounds the text ParseNotice reads: a notice is about 2 KB.
const maxNoticeSize = 64 << 10

// minNoticeYear is the first year ParseNotice accepts: an earlier one is a typo.
const minNoticeYear = 1949

// Errors of ParseNotice carry this Reason.
const reasonNotice = "calendar_notice"

// ParseNotice reads the text of a holiday notice as published: title, preamble, the
// numbered items (一、元旦：…) and the closing lines. Only the numbered items, and lines
// continuing them, are read for dates; the preamble and the closing lines are skipped.
//
// The year comes from the title ("关于2026年部分节假日安排的通知", which may be broken
// over two lines); failing that from "现将2026年……"; failing that from the years
// written in the items. Each item's days off are resolved to dates: "2月15日至23日"
// (the end may omit the month), "1月1日放假，与周末连休", "1月2日（星期一）补休",
// "2022年12月31日至2023年1月2日". A date in December without a year is in the year
// before: a notice arranges its year up to National Day, and 元旦 may start on 12-31.
// Make-up working days are the dates of the clauses saying 上班, in one sentence or
// several, or on a line of their own right after the item. Dates in parentheses, as in
// "安排职工在除夕（2月9日）休息", are not read; any other date of an item must be said to
// be a day off (放假, 补休) or a working day (上班). Full-width digits and punctuation
// are read as their ASCII forms, and paragraphs run together are broken apart again.
//
// It refuses, with an EINVALID *briefbot.Error whose message (Chinese and English) names
// the line that did not read: a text with no year or no item; a numbered item it cannot
// read (no name, no day off, a date neither off nor working, a date with no month); a
// date that does not exist or lies outside the notice's year (except December of the
// year before); a range that ends before it starts or spans more than 31 days; days off
// whose number differs from the 共N天 (or 放假N天) the sentence states; a weekday
// in parentheses, (周四) or (星期四), that is not the date's weekday; a make-up working
// day that is not a Saturday or a Sunday; and a day listed twice as a day off, or both
// as a day off and as a working day.
func ParseNotice(text string) (*Notice, error) {
	if len(text) > maxNoticeSize {
		return nil, noticeError(
			fmt.Sprintf("节假日通知太长（%d 字节，上限 %d）：请只贴通知本身。", len(text), maxNoticeSize),
			fmt.Sprintf("the holiday notice is too long (%d bytes, at most %d): paste the notice alone", len(text), maxNoticeSize))
	}
	lines := noticeLines(text)
	year, err := noticeYear(text, lines)
	if err != nil {
		return nil, err
	}
	p := noticeParser{year: year, n: &Notice{Year: year}, off: map[date]string{}, work: map[date]bool{}}
	if err := p.parse(lines); err != nil {
		return nil, err
	}
	if len(p.n.Holidays) == 0 {
		return nil, noticeError(
			fmt.Sprintf("在%d年的节假日通知中找不到任何节假日安排：每一项应写作“一、元旦：1月1日至3日放假，共3天。”。", year),
			fmt.Sprintf("the %d holiday notice has no holiday item; each should read like “一、元旦：1月1日至3日放假，共3天。”", year))
	}
	for d := range p.work {
		p.n.Workdays = append(p.n.Workdays, d.String())
	}
	slices.Sort(p.n.Workdays)
	return p.n, nil
}

// CalendarLists returns the years, days off and make-up working days of the notice in
// the form NewCalendar takes. It is MergeNotice into empty lists: the years are just
// n.Year, and days of the year before (元旦 starting on 12-31) are left out, because
// NewCalendar refuses dates outside its years. To keep them, merge the notice into
// lists that already cover that year.
func (n *Notice) CalendarLists() (years []int, holidays, workdays []string) {
	return MergeNotice(nil, nil, nil, n)
}

// MergeNotice returns years, holidays and workdays (as NewCalendar takes them) with the
// notice's year replaced by n: every entry that the notice of n.Year governs is removed,
// then the notice's days are added, and n.Year is added to years. The entries a notice
// governs are the dates of n.Year outside December, the dates of December of the year
// before (the next notice's 元旦 may start there, as in 2023; the notice of that year
// ends with National Day), and any date the notice itself lists. So merging one notice
// twice changes nothing more, a corrected notice replaces the first one, and the other
// years are untouched.
//
// Days the notice lists in the year before n.Year are kept only when that year is in
// years (NewCalendar refuses dates outside them): merge the notices oldest first. The
// results are sorted and free of duplicates; the inputs are not modified. Entries that
// are not dates are kept as they are, for NewCalendar to report.
func MergeNotice(years []int, holidays, workdays []string, n *Notice) (years2 []int, holidays2, workdays2 []string) {
	years2 = slices.Clone(years)
	if n == nil {
		return sortedUnique(years2), sortedStrings(slices.Clone(holidays)), sortedStrings(slices.Clone(workdays))
	}
	years2 = sortedUnique(append(years2, n.Year))
	covered := func(y int) bool { return slices.Contains(years2, y) }

	listed := map[string]bool{}
	var off []string
	for _, f := range n.Holidays {
		for _, d := range f.Days {
			listed[d] = true
			off = append(off, d)
		}
	}
	for _, d := range n.Workdays {
		listed[d] = true
	}
	governed := func(s string) bool {
		if listed[s] {
			return true
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return false
		}
		y, m := t.Year(), t.Month()
		return (y == n.Year && m != time.December) || (y == n.Year-1 && m == time.December)
	}
	merge := func(old, add []string) []string {
		var out []string
		for _, s := range old {
			if !governed(s) {
				out = append(out, s)
			}
		}
		for _, s := range add {
			if t, err := time.Parse(time.DateOnly, s); err == nil && covered(t.Year()) {
				out = append(out, s)
			}
		}
		return sortedStrings(out)
	}
	return years2, merge(holidays, off), merge(workdays, n.Workdays)
}

func sortedUnique(ys []int) []int {
	slices.Sort(ys)
	return slices.Compact(ys)
}

func sortedStrings(ss []string) []string {
	slices.Sort(ss)
	return slices.Compact(ss)
}

// noticeLine is one line of the notice: its text folded to ASCII digits and
// punctuation for reading, and as written, with the number of the line it came from
// (1-based), for messages.
type noticeLine struct {
	no   int
	text string
	raw  string
}

// lineBreak finds, after a full stop, the start of a numbered item or of the closing
// lines: where a text whose paragraphs were run together is broken into lines.
var lineBreak = regexp.MustCompile(`。\s*(?:[一二三四五六七八九十]{1,3}、|节假日期间|国务院办公厅|鼓励)`)

// noticeLines splits text into lines, breaking a line also where lineBreak matches.
func noticeLines(text string) []noticeLine {
	var out []noticeLine
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		// fold maps rune to rune, so rune offsets in the folded line are those of raw.
		folded, runes := fold(raw), []rune(raw)
		from, at, counted := 0, 0, 0 // rune offsets of the line's start and of byte offset counted
		for _, loc := range lineBreak.FindAllStringIndex(folded, -1) {
			at += utf8.RuneCountInString(folded[counted:loc[0]])
			counted = loc[0]
			cut := at + 1 // after the 。
			out = append(out, newLine(i+1, runes[from:cut]))
			from = cut
		}
		out = append(out, newLine(i+1, runes[from:]))
	}
	return out
}

func newLine(no int, raw []rune) noticeLine {
	s := strings.TrimSpace(string(raw))
	return noticeLine{no: no, text: strings.TrimSpace(fold(s)), raw: s}
}

// fold turns full-width ASCII variants (digits, letters, punctuation) into ASCII, and the
// ideographic space and no-break space into a space: one rune for one rune.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000, r == 0x00A0:
			return ' '
		}
		return r
	}, s)
}

var (
	titleYear   = regexp.MustCompile(`关于\s*(\d{4})\s*年\s*部分\s*节假日\s*安排`)
	preambleYr  = regexp.MustCompile(`现将\s*(\d{4})\s*年`)
	writtenYear = regexp.MustCompile(`(\d{4})\s*年\s*\d{1,2}\s*月`)
	itemLine    = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*、\s*(.*)$`)
	itemHead    = regexp.MustCompile(`^([^:\d]{1,20}?)\s*:\s*(.*)$`)
	dateToken   = regexp.MustCompile(`(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日(\s*\(([^()]*)\))?`)
	weekdayWord = regexp.MustCompile(`(?:周|星期|礼拜)([一二三四五六日天])`)
	statedTotal = regexp.MustCompile(`(?:共|放假)\s*(\d{1,3})\s*天`)
)

var weekdayNames = map[string]time.Weekday{
	"日": time.Sunday, "天": time.Sunday, "一": time.Monday, "二": time.Tuesday,
	"三": time.Wednesday, "四": time.Thursday, "五": time.Friday, "六": time.Saturday,
}

// noticeYear finds the year the notice arranges: from the title, else from "现将2026年",
// else the latest year written in a date of the numbered items.
func noticeYear(text string, lines []noticeLine) (int, error) {
	folded := fold(text)
	valid := func(y int) (int, error) {
		if y < minNoticeYear {
			return 0, noticeError(
				fmt.Sprintf("节假日通知的年份 %d 无效。", y),
				fmt.Sprintf("the holiday notice's year %d is not valid", y))
		}
		return y, nil
	}
	for _, re := range []*regexp.Regexp{titleYear, preambleYr} {
		if m := re.FindStringSubmatch(folded); m != nil {
			y, _ := strconv.Atoi(m[1])
			return valid(y)
		}
	}
	year := 0
	for _, l := range lines {
		if !itemLine.MatchString(l.text) {
			continue
		}
		for _, m := range writtenYear.FindAllStringSubmatch(l.text, -1) {
			if y, _ := strconv.Atoi(m[1]); y > year {
				year = y
			}
		}
	}
	if year == 0 {
		return 0, noticeError(
			"节假日通知中找不到年份：标题应为“国务院办公厅关于2026年部分节假日安排的通知”。",
			"the holiday notice names no year: its title should read “国务院办公厅关于2026年部分节假日安排的通知” (notice on the 2026 holiday arrangements)")
	}
	return valid(year)
}

type noticeParser struct {
	year int
	n    *Notice
	off  map[date]string // day off -> festival, to refuse a day listed twice
	work map[date]bool

	// per item
	fest     *Festival
	festLine noticeLine // the line the item starts on
	prev     date       // the last date read in the item: a date may omit its month or year
	uncount  int        // days off read since the last stated total
	stateful bool       // whether prev is set (in this item)
}

// relevant words: a sentence with none of them says no date of the calendar.
func relevant(s string) bool {
	return strings.Contains(s, "放假") || strings.Contains(s, "上班") || strings.Contains(s, "补休")
}

func (p *noticeParser) parse(lines []noticeLine) error {
	continuing := false // the line before (blank lines aside) was an item or continued one
	for _, l := range lines {
		if l.text == "" {
			continue
		}
		if m := itemLine.FindStringSubmatch(l.text); m != nil {
			h := itemHead.FindStringSubmatch(m[2])
			if h == nil || strings.TrimSpace(h[1]) == "" {
				return lineError(l,
					"这一行像是一项节假日安排，但读不出节日名称，应写作“三、清明节：4月4日至6日放假，共3天。”。",
					"this looks like a holiday item but the festival's name does not read; it should read like “三、清明节：4月4日至6日放假，共3天。”")
			}
			if err := p.endItem(); err != nil {
				return err
			}
			p.n.Holidays = append(p.n.Holidays, Festival{Name: strings.TrimSpace(h[1])})
			p.fest, p.festLine = &p.n.Holidays[len(p.n.Holidays)-1], l
			p.stateful, p.uncount = false, 0
			if err := p.body(l, h[2]); err != nil {
				return err
			}
			continuing = true
			continue
		}
		// A line right after an item that speaks of days off or working days continues
		// it (its make-up days on a line of their own, say). Any other line (title,
		// preamble, the closing lines and what follows them) is not read.
		if continuing && relevant(l.text) {
			if err := p.body(l, l.text); err != nil {
				return err
			}
			continue
		}
		continuing = false
	}
	return p.endItem()
}

// endItem checks the item just read.
func (p *noticeParser) endItem() error {
	if p.fest == nil {
		return nil
	}
	f := p.fest
	p.fest = nil
	if len(f.Days) == 0 {
		return lineError(p.festLine,
			fmt.Sprintf("“%s”一项读不出任何放假日期。", f.Name),
			fmt.Sprintf("the item %q gives no day off that reads", f.Name))
	}
	if f.Total != 0 && f.Total != len(f.Days) {
		return lineError(p.festLine,
			fmt.Sprintf("“%s”一项共列出%d个放假日，与所写的共%d天不符。", f.Name, len(f.Days), f.Total),
			fmt.Sprintf("the item %q lists %d days off in all, but states %d", f.Name, len(f.Days), f.Total))
	}
	slices.Sort(f.Days)
	slices.Sort(f.Workdays)
	return nil
}

// body reads the sentences of an item (or of a line continuing it).
func (p *noticeParser) body(l noticeLine, text string) error {
	for _, sentence := range splitOutside(text, "。;") {
		if err := p.sentence(l, sentence); err != nil {
			return err
		}
	}
	return nil
}

// dateRef is a date read from the notice, with the words it was read from.
type dateRef struct {
	d    date
	text string
}

func (p *noticeParser) sentence(l noticeLine, s string) error {
	found := 0
	var pending []dateRef // dates read before the clause that says what they are
	var totals [][]string // 共N天
	for _, clause := range splitOutside(s, ",") {
		refs, err := p.dates(l, clause)
		if err != nil {
			return err
		}
		found += len(refs)
		pending = append(pending, refs...)
		isWork := strings.Contains(clause, "上班")
		isOff := strings.Contains(clause, "放假") || strings.Contains(clause, "补休")
		switch {
		case isWork && isOff:
			return lineError(l,
				fmt.Sprintf("读不出“%s”中的日期是放假还是上班。", wide(clause)),
				fmt.Sprintf("cannot tell whether the dates of “%s” are days off or working days", wide(clause)))
		case isWork:
			for _, r := range pending {
				if err := p.addWork(l, r); err != nil {
					return err
				}
			}
			pending = nil
		case isOff:
			for _, r := range pending {
				if err := p.addOff(l, r); err != nil {
					return err
				}
			}
			pending = nil
		}
		totals = append(totals, statedTotal.FindAllStringSubmatch(clause, -1)...)
	}
	if found == 0 {
		if !relevant(s) {
			return nil // e.g. 鼓励各单位……安排职工在除夕（2月9日）休息。(dates in parentheses are not read)
		}
		return lineError(l,
			fmt.Sprintf("“%s”说到放假或上班，却读不出日期（日期应写作“2月15日”）。", wide(s)),
			fmt.Sprintf("“%s” speaks of days off or working days but no date reads (dates are written like 2月15日)", wide(s)))
	}
	if len(pending) > 0 {
		return lineError(l,
			fmt.Sprintf("读不出“%s”是放假日还是上班日。", pending[0].text),
			fmt.Sprintf("cannot tell whether “%s” is a day off or a working day", pending[0].text))
	}
	for _, m := range totals {
		total, _ := strconv.Atoi(m[1])
		if total != p.uncount {
			return lineError(l,
				fmt.Sprintf("所列放假日期共%d天，与通知所写“共%d天”不符。", p.uncount, total),
				fmt.Sprintf("the days off listed come to %d, but the notice says %d (共%d天)", p.uncount, total, total))
		}
		p.fest.Total += total
		p.uncount = 0
	}
	return nil
}

func (p *noticeParser) addOff(l noticeLine, r dateRef) error {
	if other, dup := p.off[r.d]; dup {
		return lineError(l,
			fmt.Sprintf("%s（%s）已在“%s”一项中列为放假日。", r.text, r.d, other),
			fmt.Sprintf("%s (%s) is already a day off under %q", r.text, r.d, other))
	}
	if p.work[r.d] {
		return lineError(l,
			fmt.Sprintf("%s（%s）既列为放假日又列为上班日。", r.text, r.d),
			fmt.Sprintf("%s (%s) is listed both as a day off and as a working day", r.text, r.d))
	}
	p.off[r.d] = p.fest.Name
	p.fest.Days = append(p.fest.Days, r.d.String())
	p.uncount++
	return nil
}

func (p *noticeParser) addWork(l noticeLine, r dateRef) error {
	if wd := r.d.weekday(); wd != time.Saturday && wd != time.Sunday {
		return lineError(l,
			fmt.Sprintf("调休上班日%s（%s）是%s，不是周六或周日。", r.text, r.d, weekdayZH[wd]),
			fmt.Sprintf("make-up working day %s (%s) is a %s, not a Saturday or Sunday", r.text, r.d, wd))
	}
	if _, off := p.off[r.d]; off {
		return lineError(l,
			fmt.Sprintf("%s（%s）既列为放假日又列为上班日。", r.text, r.d),
			fmt.Sprintf("%s (%s) is listed both as a day off and as a working day", r.text, r.d))
	}
	if !p.work[r.d] { // a day named twice is one make-up day, under the item that named it first
		p.work[r.d] = true
		p.fest.Workdays = append(p.fest.Workdays, r.d.String())
	}
	return nil
}

// token is one written date: "2月15日（农历腊月二十八、周日）".
type token struct {
	y, m, d    int // 0 when not written
	weekday    int // -1 when not written
	text       string
	start, end int
}

// dates reads the dates of a clause, expanding ranges ("1月1日至3日"), and checks each
// written weekday. Dates inside parentheses, as in "除夕（2月9日）", are not read.
func (p *noticeParser) dates(l noticeLine, clause string) ([]dateRef, error) {
	var toks []token
	open, seen := 0, 0 // parentheses open at byte offset seen
	for _, m := range dateToken.FindAllStringSubmatchIndex(clause, -1) {
		// A token's own parentheses are balanced: skip over it.
		open, seen = depth(open, clause[seen:m[0]]), m[1]
		if open > 0 {
			continue
		}
		t := token{weekday: -1, text: wide(strings.TrimSpace(clause[m[0]:m[1]])), start: m[0], end: m[1]}
		num := func(i int) int {
			if m[2*i] < 0 {
				return 0
			}
			v, _ := strconv.Atoi(clause[m[2*i]:m[2*i+1]])
			return v
		}
		t.y, t.m, t.d = num(1), num(2), num(3)
		if m[10] >= 0 {
			if w := weekdayWord.FindStringSubmatch(clause[m[10]:m[11]]); w != nil {
				t.weekday = int(weekdayNames[w[1]])
			}
		}
		toks = append(toks, t)
	}
	var out []dateRef
	for i := 0; i < len(toks); i++ {
		start, err := p.resolve(l, toks[i])
		if err != nil {
			return nil, err
		}
		if i+1 < len(toks) && isRangeSep(clause[toks[i].end:toks[i+1].start]) {
			end, err := p.resolve(l, toks[i+1])
			if err != nil {
				return nil, err
			}
			for _, r := range []dateRef{start, end} {
				if err := p.inYear(l, r); err != nil {
					return nil, err
				}
			}
			if end.d.before(start.d) {
				return nil, lineError(l,
					fmt.Sprintf("日期范围“%s至%s”的结束日早于开始日。", start.text, end.text),
					fmt.Sprintf("the range %s至%s ends before it starts", start.text, end.text))
			}
			n := int(end.d.civil().Sub(start.d.civil()).Hours()/24) + 1
			if n > 31 {
				return nil, lineError(l,
					fmt.Sprintf("日期范围“%s至%s”长达%d天，不像是节假日安排。", start.text, end.text, n),
					fmt.Sprintf("the range %s至%s spans %d days, too long for a holiday", start.text, end.text, n))
			}
			for d := start.d; ; d = d.next() {
				out = append(out, dateRef{d: d, text: start.text + "至" + end.text})
				if d == end.d {
					break
				}
			}
			i++
			continue
		}
		if err := p.inYear(l, start); err != nil {
			return nil, err
		}
		out = append(out, start)
	}
	return out, nil
}

// resolve turns a token into a date, taking an omitted month (and year) from the date
// before it in the item, and an omitted year as the notice's year (the year before, for
// December).
func (p *noticeParser) resolve(l noticeLine, t token) (dateRef, error) {
	y, m := t.y, t.m
	if m == 0 {
		if !p.stateful || t.y != 0 {
			return dateRef{}, lineError(l,
				fmt.Sprintf("日期“%s”缺少月份。", t.text),
				fmt.Sprintf("the date “%s” has no month", t.text))
		}
		y, m = p.prev.y, int(p.prev.m)
	} else if y == 0 {
		// A notice arranges its own year up to National Day; the December it speaks of is
		// the one before, where 元旦 may start ("12月31日至1月2日").
		y = p.year
		if m == 12 {
			y--
		}
	}
	tm := time.Date(y, time.Month(m), t.d, 12, 0, 0, 0, time.UTC)
	if tm.Year() != y || int(tm.Month()) != m || tm.Day() != t.d {
		return dateRef{}, lineError(l,
			fmt.Sprintf("日期“%s”不存在。", t.text),
			fmt.Sprintf("the date “%s” does not exist", t.text))
	}
	r := dateRef{d: dateOf(tm), text: t.text}
	p.prev, p.stateful = r.d, true
	if err := p.checkWeekday(l, t, r); err != nil {
		return dateRef{}, err
	}
	return r, nil
}

// checkWeekday refuses a written weekday that is not the date's.
func (p *noticeParser) checkWeekday(l noticeLine, t token, r dateRef) error {
	if t.weekday < 0 {
		return nil
	}
	if wd := r.d.weekday(); int(wd) != t.weekday {
		return lineError(l,
			fmt.Sprintf("%s是%s，不是通知所写的%s。", r.d, weekdayZH[wd], weekdayZH[t.weekday]),
			fmt.Sprintf("%s is a %s, not a %s as the notice says (%s)", r.d, wd, time.Weekday(t.weekday), t.text))
	}
	return nil
}

// inYear refuses a date outside the notice's year, except in December of the year before.
func (p *noticeParser) inYear(l noticeLine, r dateRef) error {
	if r.d.y == p.year || (r.d.y == p.year-1 && r.d.m == time.December) {
		return nil
	}
	return lineError(l,
		fmt.Sprintf("日期%s（%s）不在%d年内（只有元旦可从上一年12月开始）。", r.text, r.d, p.year),
		fmt.Sprintf("the date %s (%s) is not in %d (only 元旦 may start in the December before)", r.text, r.d, p.year))
}

func isRangeSep(s string) bool {
	switch strings.TrimSpace(s) {
	case "至", "到", "-", "—", "–", "~":
		return true
	}
	return false
}

// depth returns how many parentheses are open at the end of s, n being open at its start.
func depth(n int, s string) int {
	for _, r := range s {
		switch r {
		case '(':
			n++
		case ')':
			n = max(0, n-1)
		}
	}
	return n
}

// splitOutside splits s after each separator rune that is not inside parentheses,
// dropping the separators and empty parts.
func splitOutside(s, seps string) []string {
	var out []string
	d, start := 0, 0
	for i, r := range s {
		switch {
		case r == '(':
			d++
		case r == ')':
			d = max(0, d-1)
		case d == 0 && strings.ContainsRune(seps, r):
			if part := strings.TrimSpace(s[start:i]); part != "" {
				out = append(out, part)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if part := strings.TrimSpace(s[start:]); part != "" {
		out = append(out, part)
	}
	return out
}

// wide writes the ASCII punctuation that fold made of a notice's text full-width again,
// for messages.
var wide = strings.NewReplacer("(", "（", ")", "）", ",", "，", ":", "：", ";", "；").Replace

// shorten returns s cut to about 100 characters, for messages.
func shorten(s string) string {
	const max = 100
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "……"
}

func lineError(l noticeLine, zh, en string) *briefbot.Error {
	line := shorten(l.raw)
	return noticeError(
		fmt.Sprintf("节假日通知第%d行“%s”读不通：%s", l.no, line, zh),
		fmt.Sprintf("holiday notice, line %d “%s”: %s", l.no, line, en))
}

func noticeError(zh, en string) *briefbot.Error {
	return briefbot.Errorf(briefbot.EINVALID, reasonNotice, briefbot.Text{ZH: zh, EN: en})
}
