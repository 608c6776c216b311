package briefings

import (
	"fmt"

	"github.com/briefbot/briefbot"
)

// This file holds every user-facing string of the briefings, in Chinese and English,
// so translators and reviewers find them in one place.

// text is one user-facing string in both languages.
type text struct{ ZH, EN string }

// In returns the text in lang, falling back to Chinese when no English is given.
func (t text) In(lang briefbot.Lang) string { return briefbot.Text(t).In(lang) }

// tr returns t in lang, formatted with args when there are any. The strings use only
// %s, %d and their indexed forms (%[2]s): see format.
func tr(lang briefbot.Lang, t text, args ...any) string {
	if len(args) == 0 {
		return t.In(lang)
	}
	var a [256]byte // most fit: then the string is the one allocation
	return string(appendFormat(a[:0], t.In(lang), args...))
}

var (
	strTitle         = text{"重大事项简报", "Major Matters Briefing"}
	strIssue         = text{"%d年第%d期", "No. %[2]d (%[1]d)"}
	strHeader        = text{"%s%s　%s", "%[2]s — %[1]s — %[3]s"} // committee, title, issue
	strOffice        = text{"办公室", "General Office"}
	strCommittee     = text{"（%s）", "(%s)"}
	strCompiledBy    = text{"%s%s编", "Compiled by the %[2]s, %[1]s"} // org, office
	strCompiledByOff = text{"%s编", "Compiled by the %s"}
	strPeriod        = text{"统计区间：%s 至 %s", "Period: %s to %s"}
	strAsOf          = text{"统计截至：%s", "As of %s"}
	strLateAt        = text{"本期为补发，原定于 %s 编发。", "Catch-up issue: this briefing was due at %s."}
	strLate          = text{"本期为补发。", "Catch-up issue."}
	strSend          = text{"发送：", "To: "}
	strCopy          = text{"抄送：", "Cc: "}
	strListSep       = text{"、", ", "}
	strClauseSep     = text{"；", "; "}
	strSectionCount  = text{"（%d 件）", " (%d)"}
	strFieldSep      = text{" · ", " · "}
	strColon         = text{"：", ": "}
	strNothing       = text{"本期无需列报的事项。", "Nothing to list in this issue."}
	strContinued     = text{"（续）", " (continued)"}
	strReplyHeader   = text{"%s（续 %d/%d）", "%s (continued, %d/%d)"}
	strMoreInThread  = text{"其余 %d 项见本消息跟帖（共 %d 条）。", "More items in the thread: %d (in %d messages)."}
	strFallback      = text{"%s：%s", "%s: %s"}
)

// Date and time layouts.
var (
	layoutDate      = text{"2006年1月2日", "2 January 2006"}
	layoutShortDate = text{"1月2日", "2 Jan"}
	layoutDateYear  = text{"2006年1月2日", "2 Jan 2006"}
	layoutTime      = text{"15:04", "15:04"}
	layoutDateTime  = text{"2006年1月2日 15:04", "2 Jan 2006 15:04"}
)

// Section titles, numbered when rendered.
var sectionTitles = map[SectionKind]text{
	SectionUrgent:     {"特急件和要情专报", "Extra-urgent matters and priority reports"},
	SectionAwaiting:   {"待批示的请示", "Requests awaiting instruction"},
	SectionNew:        {"新报送的报告、报备", "New reports and filings"},
	SectionInstructed: {"批示落实情况", "Instructions being carried out"},
	SectionOverdue:    {"逾期未办结（需督办）", "Overdue handling (to be supervised)"},
}

// sectionNumerals number the sections as a Chinese document does.
var sectionNumerals = text{"一二三四五六七八九十", ""}

func sectionNumber(lang briefbot.Lang, i int) string {
	if lang == briefbot.LangEN {
		return fmt.Sprintf("%d. ", i+1)
	}
	r := []rune(sectionNumerals.ZH)
	if i < len(r) {
		return string(r[i]) + "、"
	}
	return fmt.Sprintf("%d、", i+1)
}

// Summary counts.
var (
	strSummary         = text{"本期概况", "Summary"}
	strCount           = text{"%d 件", "%d"}
	strCountOverdue    = text{"%d 件（逾期 %d 件）", "%d (%d overdue)"}
	strTotalAwaiting   = text{"待批示合计", "Awaiting instruction, all"}
	strTotalOverdue    = text{"逾期合计", "Overdue, all"}
	strClosedPeriod    = text{"本期办结销号", "Closed this period"}
	strEarlierAwaiting = text{"另有 %d 件此前报送的报告、报备尚待阅示（已在前期列报）。", "Earlier reports and filings still awaiting reading (listed in earlier issues): %d."}
)

// Item lines.
var (
	strSummaryLabel    = text{"摘要：", "Summary: "}
	strStatusLabel     = text{"状态：", "Status: "}
	strAgeWorking      = text{"已等待 %d 个工作日", "waiting %d working days"}
	strAgeWorking1     = text{"已等待 %d 个工作日", "waiting %d working day"}
	strAgeCalendar     = text{"已等待 %d 天", "waiting %d days"}
	strAgeCalendar1    = text{"已等待 %d 天", "waiting %d day"}
	strAgeToday        = text{"今日报送", "submitted today"}
	strAnswerBy        = text{"答复期限 %s", "answer by %s"}
	strOverdueWorking  = text{"已逾期 %d 个工作日", "overdue by %d working days"}
	strOverdueWorking1 = text{"已逾期 %d 个工作日", "overdue by %d working day"}
	strOverdueCal      = text{"已逾期 %d 天", "overdue by %d days"}
	strOverdueCal1     = text{"已逾期 %d 天", "overdue by %d day"}
	strOverdue         = text{"已逾期", "overdue"}
	strInstructed      = text{"%s批示（%s）：%s", "%s instructed (%s): %s"}
	strRead            = text{"%s已圈阅（%s）", "Read by %s (%s)"}
	strLead            = text{"主办：%s", "Lead: %s"}
	strAssisting       = text{"协办：%s", "Assisting: %s"}
	strDeadline        = text{"办理时限 %s", "deadline %s"}
	strFeedback        = text{"最新反馈（%s，%s）：%s", "Latest feedback (%s, %s): %s"}
	strRestricted      = text{"限定范围（内容另行送阅）", "Restricted circulation (content sent separately)"}
	strCutPointer      = text{"…（详见台账 %s）", "… (see ledger %s)"}
)

var feedbackLabels = map[briefbot.FeedbackKind]text{
	briefbot.FeedbackProgress:   {"落实反馈", "progress"},
	briefbot.FeedbackExtension:  {"延期申请", "extension request"},
	briefbot.FeedbackCompletion: {"办结报告", "completion report"},
}

// plural picks the singular form of an English count of one.
func plural(n int, many, one text) text {
	if n == 1 {
		return one
	}
	return many
}

// Buttons.
var (
	strButtonInstruct = text{"批示", "Instruct"}
	strButtonRead     = text{"圈阅", "Mark read"}
	strButtonDetails  = text{"详情", "Details"}
)
