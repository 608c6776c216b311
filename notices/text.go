package notices

import "github.com/briefbot/briefbot"

// Every sentence of what the bot says on its own, in Chinese and English. Chinese is
// the default.

type text = briefbot.Text

var (
	msgReceipt       = text{ZH: "已收到您报送的%s，台账编号 *%s*（%s）。", EN: "Your %s was received: ledger number *%s* (%s)."}
	msgReceiptStored = text{ZH: "已登记入台账，将按规定呈送%s。", EN: "It is in the ledger and goes to %s as the rules say."}

	msgAlertHead       = text{ZH: "【%s】%s %s", EN: "[%s] %s %s"}
	msgAlertRestricted = text{ZH: "【%s】%s %s — 限定范围（内容另行送阅）", EN: "[%s] %s %s — restricted circulation (content sent separately)"}

	msgInstructedHead = text{ZH: "%s %s：%s %s", EN: "%s %s: %s — %s"}
	msgOnBehalf       = text{ZH: "%s 代录", EN: "recorded by %s"}
	msgAssignment     = text{ZH: "转办：主办 %s；协办 %s；时限 %s", EN: "Referred: lead %s; assisting %s; deadline %s"}
	msgReported       = text{ZH: "%s %s：%s %s", EN: "%s %s: %s — %s"}
	msgAskedUntil     = text{ZH: "申请延至 %s。", EN: "Asks for a new deadline: %s."}
	msgDecided        = text{ZH: "%s %s：%s %s，现为“%s”。", EN: "%s %s: %s — %s; now %s."}
	msgNewDeadline    = text{ZH: "新的办理时限：%s。", EN: "New deadline: %s."}

	msgRemindBefore    = text{ZH: "【催办】%s %s：办理时限为 %s，请按时落实反馈。", EN: "[Reminder] %s %s: due %s; please report on time."}
	msgRemindDue       = text{ZH: "【催办】%s %s：今天（%s）到期。", EN: "[Reminder] %s %s: due today (%s)."}
	msgRemindOverdue   = text{ZH: "【督办】%s %s：已超过办理时限（%s），请尽快落实并反馈。", EN: "[Overdue] %s %s: the deadline (%s) has passed; act and report without delay."}
	msgRemindSupervise = text{ZH: "【督办】%s %s：超过时限（%s）多日仍未办结，请督促。", EN: "[Supervision] %s %s: still open well past its deadline (%s); please follow it up."}

	msgChaseSignOff     = text{ZH: "*催签发*：%[2]s 报请签发的《%[1]s》已等待 %[3]d 个工作日，尚未签发。", EN: "*Sign-off pending*: “%[1]s”, which %[2]s asked you to sign off, has waited %[3]d working days."}
	msgChaseUnsigned    = text{ZH: "*催补签发*：%s《%s》先行报送已 %d 个工作日，尚未补签发。", EN: "*Sign-off pending*: %s, “%s”, went out %d working days ago and is not yet signed off."}
	msgSignOffAsk       = text{ZH: "*请签发*：%s 报请签发%s《%s》。签发后即编号报送。", EN: "*Sign-off asked*: %s asks you to sign off a %s, “%s”. Signing submits it under its ledger number."}
	msgSignOffUnsigned  = text{ZH: "*请补签发*：%s件 %s《%s》已由 %s 先行报送，尚未签发。", EN: "*Please sign off*: the %s %s, “%s”, was sent ahead by %s and is not yet signed off."}
	msgSignOffDone      = text{ZH: "《%s》已由 %s 签发。", EN: "“%s” was signed off by %s."}
	msgSignOffFields    = text{ZH: "主送 %s · %s · 起草于 %s", EN: "To %s · %s · drafted %s"}
	msgSignOffRevise    = text{ZH: "《%s》被 %s 退回修改，未报送：", EN: "“%s” was sent back for revision by %s and not submitted:"}
	msgSignOffSubmitted = text{ZH: "《%s》已由 %s 签发并报送，台账编号 *%s*。", EN: "“%s” was signed off by %s and submitted: ledger number *%s*."}
	msgSignOffConfirmed = text{ZH: "%s《%s》已由 %s 补签发。", EN: "%s, “%s”, is now signed off by %s."}
	msgFieldItem        = text{ZH: "请示事项", EN: "Requested"}
	msgFieldReasons     = text{ZH: "理由", EN: "Reasons"}
	msgFieldRecommend   = text{ZH: "本单位意见建议", EN: "Recommendation"}
	msgFieldBody        = text{ZH: "正文", EN: "Body"}
	msgDraftForYou      = text{ZH: "%s 起草了一份%s，待您审核报送：%s", EN: "%s drafted a %s for you to review and submit: %s"}

	msgWithheldHead          = text{ZH: "%s简报第%d期中以“限定范围”列出的事项，您可阅：", EN: "%s briefing no. %d lists these as restricted; you may read them:"}
	msgBriefAwaitingApproval = text{ZH: "%s简报第%d期已编好，待您审批后发出。", EN: "%s briefing no. %d is ready and waits for your approval."}

	msgCalendarMissing = text{ZH: "提醒：工作日历尚未配置 %d 年的节假日和调休安排。在补充之前，办理时限、催办和简报时间只按周一至周五计算，不计法定节假日。请管理员在组织配置的 calendar 中补充。", EN: "Note: the working-day calendar has no %d yet. Until it is added, deadlines, reminders and briefing slots count Monday to Friday only, with no public holidays. Admins: add it under calendar: in the org config."}

	msgNone           = text{ZH: "无", EN: "none"}
	msgOverdueMark    = text{ZH: "逾期", EN: "overdue"}
	msgButtonStatus   = text{ZH: "查看详情", EN: "Details"}
	msgButtonExtend   = text{ZH: "申请延期", EN: "Ask for more time"}
	msgButtonComplete = text{ZH: "报告办结", EN: "Report completion"}
	msgButtonDraft    = text{ZH: "审核并报送", EN: "Review done: submit"}
	msgButtonApprove  = text{ZH: "批准发出", EN: "Approve"}
)
