package bot

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// typedVerbs are the words that take a step when typed, in chat or the console, with
// the matter's number after them: every step a button or a form takes.
//
//	批示 QS-2026-0001 同意，抓紧办理 [代 赵书记] [转办 民事审判庭 [协办 刑事审判庭] [期限 2026-12-30]]
//	圈阅 QS-2026-0001 [代 赵书记]
//	反馈 QS-2026-0001 已完成调查
//	延期 QS-2026-0001 至 2026-12-30 理由 证人尚未到庭
//	同意延期 QS-2026-0001 · 不同意延期 QS-2026-0001 理由 …
//	办结 QS-2026-0001 已审结
//	退办 QS-2026-0001 理由 材料不全
//	销号 QS-2026-0001
//
// English: instruct, read, progress (feedback), extend … to DATE reason …, grant,
// decline … reason …, complete, return … reason …, close; "for NAME" for 代,
// "refer DEPT [assist DEPT …] [by DATE]" for 转办.
var typedVerbs = map[string]briefbot.Action{
	"批示": briefbot.ActionInstruct, "instruct": briefbot.ActionInstruct,
	"圈阅": briefbot.ActionRead, "read": briefbot.ActionRead,
	"反馈": briefbot.ActionProgress, "落实反馈": briefbot.ActionProgress, "progress": briefbot.ActionProgress, "feedback": briefbot.ActionProgress,
	"延期": briefbot.ActionRequestExtension, "申请延期": briefbot.ActionRequestExtension, "extend": briefbot.ActionRequestExtension,
	"同意延期": briefbot.ActionGrantExtension, "grant": briefbot.ActionGrantExtension,
	"不同意延期": briefbot.ActionDeclineExtension, "decline": briefbot.ActionDeclineExtension,
	"办结": briefbot.ActionComplete, "报告办结": briefbot.ActionComplete, "complete": briefbot.ActionComplete,
	"退办": briefbot.ActionSendBack, "return": briefbot.ActionSendBack,
	"销号": briefbot.ActionClose, "close": briefbot.ActionClose,
	"签发": briefbot.ActionSign, "sign": briefbot.ActionSign,
	"退回修改": briefbot.ActionRevise, "revise": briefbot.ActionRevise,
}

// typedVerb reads the step a line starts with: a verb of typedVerbs followed by white
// space or directly by the number (批示QS-2026-0001 …), and the rest of the line.
func typedVerb(line string) (briefbot.Action, string, bool) {
	line = strings.TrimSpace(line)
	best := ""
	for w := range typedVerbs {
		if len(w) > len(best) && len(line) >= len(w) && strings.EqualFold(line[:len(w)], w) {
			rest := line[len(w):]
			if rest == "" || unicode.IsSpace(rune(rest[0])) || rest[0] >= 0x80 || strings.ContainsRune("：:QqBb", rune(rest[0])) {
				best = w
			}
		}
	}
	if best == "" {
		return "", "", false
	}
	return typedVerbs[best], strings.TrimSpace(strings.TrimLeft(line[len(best):], "：: ")), true
}

// typedStep takes the step a typed command names on the matter whose number follows
// it, authorised like any other; it answers what was done, or why not and how the
// command is written.
func (b *Bot) typedStep(ctx context.Context, v *view, a briefbot.Action, rest string, key string) Response {
	number, rest := firstWord(rest)
	if number == "" {
		return say(v.T(msgTypedUsage[a]))
	}
	m, err := b.lookup(ctx, v, number)
	if err != nil {
		return b.errorReply(err, v, "typed step")
	}
	steps, problem := v.typedSteps(m, a, rest)
	if problem != (text{}) {
		return say(v.T(problem) + "\n" + v.T(msgTypedUsage[a]))
	}
	res, err := b.take(ctx, v, briefbot.RefOf(m), key, steps...)
	if err != nil {
		return b.errorReply(err, v, "typed step")
	}
	return say(v.confirm(res, steps))
}

// typedSteps reads what follows the number for action a into the steps to take.
func (v *view) typedSteps(m *briefbot.Matter, a briefbot.Action, rest string) ([]briefbot.Step, text) {
	step := v.step(a)
	switch a {
	case briefbot.ActionInstruct, briefbot.ActionRead:
		rest, step.OnBehalfOf = v.onBehalf(rest)
		steps := []briefbot.Step{step}
		body, refer, ok, bad := v.splitReferral(rest)
		if bad {
			return nil, msgTypedNoSuchDepartment
		}
		if ok {
			if a != briefbot.ActionInstruct {
				return nil, msgTypedReadNoRefer
			}
			r, problem := v.referral(refer)
			if problem != (text{}) {
				return nil, problem
			}
			r.OnBehalfOf = step.OnBehalfOf
			rest = body
			steps = append(steps, r)
		}
		steps[0].Text = strings.TrimSpace(rest)
		return steps, text{}
	case briefbot.ActionRequestExtension:
		rest, reason := cutWord(rest, "理由", "reason")
		date := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(rest), "至"), "to "))
		t, err := time.ParseInLocation("2006-01-02", date, v.rules.Loc())
		if err != nil {
			return nil, msgDMBadDate
		}
		step.Deadline, step.Text = v.rules.EndOfDay(t), strings.TrimSpace(reason)
	case briefbot.ActionDeclineExtension, briefbot.ActionSendBack, briefbot.ActionRevise:
		_, reason := cutWord(rest, "理由", "reason")
		if reason == "" {
			reason = rest
		}
		step.Reason = strings.TrimSpace(reason)
		step.Text = step.Reason
	default:
		step.Text = strings.TrimSpace(rest)
	}
	return []briefbot.Step{step}, text{}
}

// onBehalf reads a leading "代 NAME" (代录, a clerk recording for a leader; English
// "for NAME") off s: the member, and the rest. Without one, or when what follows 代
// names no member (the text merely starts with 代), s is all text.
func (v *view) onBehalf(s string) (string, briefbot.MemberID) {
	s = strings.TrimSpace(s)
	var after string
	switch low := strings.ToLower(s); {
	case strings.HasPrefix(s, "代录"):
		after = s[len("代录"):]
	case strings.HasPrefix(s, "代"):
		after = s[len("代"):]
	case strings.HasPrefix(low, "for "):
		after = s[len("for "):]
	default:
		return s, ""
	}
	name, text := firstWordUntil(strings.TrimSpace(after), "：:")
	if id, ok := v.memberNamed(name); ok {
		return text, id
	}
	return s, ""
}

// splitReferral finds a referral at the end of a 批示: the last "转办" (or "refer")
// followed by a department's name. Text that merely contains the word (请转办公室…)
// is no referral; "转办" set apart by a space or colon and followed by no department
// is a referral written wrong (bad).
func (v *view) splitReferral(s string) (body, refer string, found, bad bool) {
	for _, marker := range []string{"转办", "refer"} {
		i := strings.LastIndex(strings.ToLower(s), marker)
		if i < 0 {
			continue
		}
		raw := s[i+len(marker):]
		after := strings.TrimLeft(raw, "：: ")
		lead, _ := firstWordUntil(after, "：:，,、")
		for _, stop := range []string{"协办", "期限"} {
			if j := strings.Index(lead, stop); j > 0 {
				lead = lead[:j]
			}
		}
		if _, ok := v.departmentNamed(strings.TrimSpace(lead)); ok {
			return strings.TrimRight(strings.TrimSpace(s[:i]), "，,；;"), after, true, false
		}
		if len(raw) > len(after) || raw == "" { // set apart, or at the very end
			return s, "", false, true
		}
	}
	return s, "", false, false
}

// referral reads "DEPT [协办 DEPT …] [期限 DATE]" into a referral step.
func (v *view) referral(s string) (briefbot.Step, text) {
	r := v.step(briefbot.ActionRefer)
	s, by := cutWord(s, "期限", "by")
	if by != "" {
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(by), v.rules.Loc())
		if err != nil {
			return r, msgDMBadDate
		}
		r.Deadline = v.rules.EndOfDay(t)
	}
	s, assist := cutWord(s, "协办", "assist")
	lead, ok := v.departmentNamed(strings.TrimRight(strings.TrimSpace(s), "，,；;"))
	if !ok {
		return r, msgTypedNoSuchDepartment
	}
	r.Lead = lead
	for _, w := range strings.FieldsFunc(assist, func(r rune) bool { return unicode.IsSpace(r) || r == '、' || r == ',' || r == '，' }) {
		d, ok := v.departmentNamed(w)
		if !ok {
			return r, msgTypedNoSuchDepartment
		}
		r.Assisting = append(r.Assisting, d)
	}
	return r, text{}
}

// confirm is what the sender of a step is told: done, or done before (a repeat).
func (v *view) confirm(res briefbot.Result, steps []briefbot.Step) string {
	m := res.Matter
	if res.Duplicate {
		return v.T(msgStepAlready, briefbot.RefOf(m))
	}
	var done []string
	for _, s := range steps {
		done = append(done, s.Action.Label(v.Lang))
	}
	return v.T(msgStepDone, briefbot.RefOf(m), strings.Join(done, v.T(msgListSep))) + " " + v.T(msgStepNow, m.Status.Label(v.Lang))
}

// confirmed closes a step's form and tells its sender what was done; a repeated
// submission of the same form (Slack retrying) closes it and tells nothing again.
func confirmed(v *view, res briefbot.Result, steps []briefbot.Step) SubmissionResult {
	if res.Duplicate {
		return SubmissionResult{}
	}
	msg := blockkit.Text(v.confirm(res, steps))
	return SubmissionResult{Message: &msg}
}

// memberNamed finds a member by id or name.
func (v *view) memberNamed(s string) (briefbot.MemberID, bool) {
	s = strings.TrimSpace(s)
	for _, m := range v.rules.Org.Members {
		if string(m.ID) == s || m.Name == s {
			return m.ID, true
		}
	}
	return "", false
}

// departmentNamed finds a department by id or name (either language).
func (v *view) departmentNamed(s string) (briefbot.DepartmentID, bool) {
	for _, d := range v.rules.Org.Departments {
		if string(d.ID) == s || d.Name == s || (d.NameEN != "" && strings.EqualFold(d.NameEN, s)) {
			return d.ID, true
		}
	}
	return "", false
}

// firstWord splits s at its first run of white space.
func firstWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// firstWordUntil splits s at its first white space or any of stops.
func firstWordUntil(s, stops string) (string, string) {
	i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(stops, r) })
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(strings.TrimLeft(s[i:], stops+" "))
}

// cutWord cuts s at the first of the marker words zh (anywhere) or en (as a word),
// returning what is before it and what follows it ("" if neither is there).
func cutWord(s, zh, en string) (before, after string) {
	i, n := strings.Index(s, zh), len(zh)
	if j := indexWord(s, en); j >= 0 && (i < 0 || j < i) {
		i, n = j, len(en)
	}
	if i < 0 {
		return s, ""
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(strings.TrimLeft(s[i+n:], "：: "))
}

// indexWord is the index of w in s as a whole word, case-insensitive, or -1.
func indexWord(s, w string) int {
	low := strings.ToLower(s)
	for off := 0; ; {
		i := strings.Index(low[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		before := i == 0 || unicode.IsSpace(rune(low[i-1]))
		after := i+len(w) == len(low) || unicode.IsSpace(rune(low[i+len(w)]))
		if before && after {
			return i
		}
		off = i + len(w)
	}
}
