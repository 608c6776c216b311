package briefings

import (
	"fmt"

	"github.com/briefbot/briefbot"
)

// This file holds every user-facing string of the briefings, in Chinese and English,
// so translators and reviewers find them in one place.

// text is one user-facing string in both languages (briefbot.Text, shortened for the
// catalogue below).
type text = briefbot.Text

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
	strTitle         = text{ZH: "重大事项简报", EN: "Major Matters Briefing"}
	strIssue         = text{ZH: "%d年第%d期", EN: "No. %[2]d (%[1]d)"}
	strHeader        = text{ZH: "%s%s　%s", EN: "%[2]s — %[1]s — %[3]s"} // committee, title, issue
	strOffice        = text{ZH: "办公室", EN: "General Office"}
	strOrgOffice     = text{ZH: "%s办公室", EN: "General Office, %s"} // org: the compiling office when none is configured
	strCommittee     = text{ZH: "（%s）", EN: "(%s)"}
	strCompiledBy    = text{ZH: "%s%s编", EN: "Compiled by the %[2]s, %[1]s"} // org, office: as briefings stored before offices were named in full
	strCompiledByOff = text{ZH: "%s编", EN: "Compiled by: %s"}                // the compiling office, in full
	strPeriod        = text{ZH: "统计区间：%s 至 %s", EN: "Period: %s to %s"}
	strAsOf          = text{ZH: "统计截至：%s", EN: "As of %s"}
	strLateAt        = text{ZH: "本期为补发，原定于 %s 编发。", EN: "Catch-up issue: this briefing was due at %s."}
	strLate          = text{ZH: "本期为补发。", EN: "Catch-up issue."}
	strSend          = text{ZH: "发送：", EN: "To: "}
	strCopy          = text{ZH: "抄送：", EN: "Cc: "}
	strAnchor        = text{ZH: "审计链头：", EN: "Audit anchor: "}
	strUnsigned      = text{ZH: "未签发", EN: "not yet signed off"}
	strDelegated     = text{ZH: "授权签发", EN: "signed by delegation"}
	strListSep       = text{ZH: "、", EN: ", "}
	strClauseSep     = text{ZH: "；", EN: "; "}
	strSectionCount  = text{ZH: "（%d 件）", EN: " (%d)"}
	strFieldSep      = text{ZH: " · ", EN: " · "}
	strColon         = text{ZH: "：", EN: ": "}
	strNothing       = text{ZH: "本期无需列报的事项。", EN: "Nothing to list in this issue."}
	strContinued     = text{ZH: "（续）", EN: " (continued)"}
	strReplyHeader   = text{ZH: "%s（续 %d/%d）", EN: "%s (continued, %d/%d)"}
	strMoreInThread  = text{ZH: "其余 %d 项见本消息跟帖（共 %d 条）。", EN: "More items in the thread: %d (in %d messages)."}
	strFallback      = text{ZH: "%s：%s", EN: "%s: %s"}
	strMoreItems     = text{ZH: "本部分另有 %d 件未在此列出：发送 %s 查看全部，或请办公室导出本期打印版。", EN: "%d more in this section are not listed here: send %s to see them all, or ask the office for this issue's printable page."}
)

// Date and time layouts.
var (
	layoutDate      = text{ZH: "2006年1月2日", EN: "2 January 2006"}
	layoutShortDate = text{ZH: "1月2日", EN: "2 Jan"}
	layoutDateYear  = text{ZH: "2006年1月2日", EN: "2 Jan 2006"}
	layoutTime      = text{ZH: "15:04", EN: "15:04"}
	layoutDateTime  = text{ZH: "2006年1月2日 15:04", EN: "2 Jan 2006 15:04"}
)

// Section titles, numbered when rendered.
var sectionTitles = map[SectionKind]text{
	SectionUrgent:     {ZH: "特急件和要情专报", EN: "Extra-urgent matters and priority reports"},
	SectionAwaiting:   {ZH: "待批示的请示", EN: "Requests awaiting instruction"},
	SectionNew:        {ZH: "新报送的报告、报备", EN: "New reports and filings"},
	SectionInstructed: {ZH: "批示落实情况", EN: "Instructions being carried out"},
	SectionOverdue:    {ZH: "逾期未办结（需督办）", EN: "Overdue handling (to be supervised)"},
}

// sectionNumerals number the sections as a Chinese document does.
var sectionNumerals = text{ZH: "一二三四五六七八九十", EN: ""}

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
	strSummary         = text{ZH: "本期概况", EN: "Summary"}
	strCount           = text{ZH: "%d 件", EN: "%d"}
	strCountOverdue    = text{ZH: "%d 件（逾期 %d 件）", EN: "%d (%d overdue)"}
	strTotalAwaiting   = text{ZH: "待批示合计", EN: "Awaiting instruction, all"}
	strTotalOverdue    = text{ZH: "逾期合计", EN: "Overdue, all"}
	strClosedPeriod    = text{ZH: "本期办结销号", EN: "Closed this period"}
	strEarlierAwaiting = text{ZH: "另有 %d 件此前报送的报告、报备尚待阅示（已在前期列报）。", EN: "Earlier reports and filings still awaiting reading (listed in earlier issues): %d."}
)

// Item lines.
var (
	strSummaryLabel    = text{ZH: "摘要：", EN: "Summary: "}
	strStatusLabel     = text{ZH: "状态：", EN: "Status: "}
	strAgeWorking      = text{ZH: "已等待 %d 个工作日", EN: "waiting %d working days"}
	strAgeWorking1     = text{ZH: "已等待 %d 个工作日", EN: "waiting %d working day"}
	strAgeCalendar     = text{ZH: "已等待 %d 天", EN: "waiting %d days"}
	strAgeCalendar1    = text{ZH: "已等待 %d 天", EN: "waiting %d day"}
	strAgeToday        = text{ZH: "今日报送", EN: "submitted today"}
	strAnswerBy        = text{ZH: "答复期限 %s", EN: "answer by %s"}
	strOverdueWorking  = text{ZH: "已逾期 %d 个工作日", EN: "overdue by %d working days"}
	strOverdueWorking1 = text{ZH: "已逾期 %d 个工作日", EN: "overdue by %d working day"}
	strOverdueCal      = text{ZH: "已逾期 %d 天", EN: "overdue by %d days"}
	strOverdueCal1     = text{ZH: "已逾期 %d 天", EN: "overdue by %d day"}
	strOverdue         = text{ZH: "已逾期", EN: "overdue"}
	strInstructed      = text{ZH: "%s批示（%s）：%s", EN: "%s instructed (%s): %s"}
	strRead            = text{ZH: "%s已圈阅（%s）", EN: "Read by %s (%s)"}
	strLead            = text{ZH: "主办：%s", EN: "Lead: %s"}
	strAssisting       = text{ZH: "协办：%s", EN: "Assisting: %s"}
	strDeadline        = text{ZH: "办理时限 %s", EN: "deadline %s"}
	strFiles           = text{ZH: "附件：%d 份", EN: "Attached files: %d"}
	strFilesListOpen   = text{ZH: "（", EN: " ("}
	strFilesListClose  = text{ZH: "）", EN: ")"}
	strFeedback        = text{ZH: "最新反馈（%s，%s）：%s", EN: "Latest feedback (%s, %s): %s"}
	strRestricted      = text{ZH: "限定范围（内容另行送阅）", EN: "Restricted circulation (content sent separately)"}
	strCutPointer      = text{ZH: "…（详见台账 %s）", EN: "… (see ledger %s)"}
)

var feedbackLabels = map[briefbot.FeedbackKind]text{
	briefbot.FeedbackProgress:   {ZH: "落实反馈", EN: "progress"},
	briefbot.FeedbackExtension:  {ZH: "延期申请", EN: "extension request"},
	briefbot.FeedbackCompletion: {ZH: "办结报告", EN: "completion report"},
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
	strButtonInstruct = text{ZH: "批示", EN: "Instruct"}
	strButtonRead     = text{ZH: "圈阅", EN: "Mark read"}
	strButtonDetails  = text{ZH: "详情", EN: "Details"}
)
