package bot

import (
	"fmt"

	"github.com/briefbot/briefbot"
)

// Every user-facing sentence of the bot, in Chinese and English. Chinese is the default.

// text is one sentence in both languages (a local type, so the catalogue below can be
// written as plain pairs).
type text struct{ ZH, EN string }

// In returns the text in lang.
func (t text) In(lang briefbot.Lang) string { return briefbot.Text(t).In(lang) }

// tr formats t in lang with args.
func tr(lang briefbot.Lang, t text, args ...any) string {
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}

var (
	msgSorry         = text{"抱歉，系统出错了，请稍后再试。如问题持续，请将编号 %s 告知管理员。", "Sorry, something went wrong. Please try again later; if it persists, give the administrator this id: %s."}
	msgUnknownUser   = text{"您好！您还不在本单位的机器人名单中，暂时无法使用。请联系管理员将您加入组织配置。", "Hello! You are not in this organisation's list yet, so the bot cannot serve you. Please ask the administrator to add you to the org config."}
	msgUnknownCmd    = text{"没有听懂“%s”。输入 help 查看可用命令。", "I did not understand “%s”. Type help to see the commands."}
	msgNotHead       = text{"只有部门主要负责人或负责人可以报送事项。", "Only a department's principal or heads may submit matters."}
	msgNoNumberGiven = text{"请给出台账编号，例如：status QS-2026-0017", "Give a ledger number, for example: status QS-2026-0017"}
	msgNoSuchMatter  = text{"没有找到事项 %s。", "No matter %s was found."}
	msgNothingFound  = text{"没有找到符合条件的事项。", "No matters found."}
	msgNoWords       = text{"请给出要查找的词语，例如：find 执行", "Give words to find, for example: find 执行"}
	msgBadPage       = text{"页码应为正整数，例如：list mine page 2", "The page must be a positive number, for example: list mine page 2"}
	msgBadScope      = text{"list 后可跟 mine、dept、awaiting、overdue 或 all。", "list takes mine, dept, awaiting, overdue or all."}
	msgBadKind       = text{"new 后可跟 request（请示）、report（报告）或 filing（报备）。", "new takes request, report or filing."}

	msgReceipt       = text{"已收到您报送的%s，台账编号 *%s*（%s）。", "Your %s was received: ledger number *%s* (%s)."}
	msgReceiptStored = text{"已登记入台账，将按规定呈送%s。", "It is in the ledger and goes to %s as the rules say."}
	msgDuplicate     = text{"这份材料已经收到过，台账编号 %s，没有重复登记。", "This was already received as %s; it was not registered twice."}

	msgListTitle   = text{"%s（第%d页）", "%s (page %d)"}
	msgListMore    = text{"后面还有。输入 `%s` 查看下一页。", "More follow. Type `%s` for the next page."}
	msgScopeMine   = text{"我报送的事项", "Matters I submitted"}
	msgScopeDept   = text{"本部门的事项", "My department's matters"}
	msgScopeAwait  = text{"待批示的事项", "Awaiting instruction"}
	msgScopeLate   = text{"逾期的事项", "Overdue"}
	msgScopeAll    = text{"我可查看的全部事项", "All matters I may see"}
	msgScopeFind   = text{"标题含“%s”的事项", "Titles containing “%s”"}
	msgOverdueMark = text{"逾期", "overdue"}

	msgCardKind        = text{"类型", "Kind"}
	msgCardStatus      = text{"状态", "Status"}
	msgCardUrgency     = text{"紧急程度", "Urgency"}
	msgCardDept        = text{"报送单位", "From"}
	msgCardSigned      = text{"签发", "Signed off"}
	msgCardTo          = text{"主送", "To"}
	msgCardCopied      = text{"抄送", "Copied to"}
	msgCardCategory    = text{"类别", "Category"}
	msgCardAnswerBy    = text{"答复期限", "Answer by"}
	msgCardDeadline    = text{"办理时限", "Deadline"}
	msgCardItem        = text{"请示事项", "Matter requested"}
	msgCardReasons     = text{"理由", "Reasons"}
	msgCardRecommend   = text{"本单位意见", "Recommendation"}
	msgCardBody        = text{"正文", "Body"}
	msgCardFollowUp    = text{"首报", "First report"}
	msgCardRelated     = text{"关联事项", "Related"}
	msgCardAttach      = text{"附件", "Attachments"}
	msgCardRestricted  = text{"限定知悉范围", "Restricted circulation"}
	msgCardInstr       = text{"批示", "Instructions"}
	msgCardOnBehalf    = text{"%s 代录", "recorded by %s"}
	msgCardAssignment  = text{"转办：主办 %s；协办 %s；时限 %s", "Referred: lead %s; assisting %s; deadline %s"}
	msgCardHistory     = text{"办理记录", "History"}
	msgCardMoreHistory = text{"（另有 %d 条更早的记录）", "(%d earlier steps)"}
	msgCardCut         = text{"……（内容较长，完整内容见台账 %s）", "… (long; the full text is in the ledger, %s)"}
	msgNone            = text{"无", "none"}
	msgButtonStatus    = text{"查看详情", "Details"}
	msgButtonNew       = text{"报送新事项", "Submit a matter"}
	msgButtonNext      = text{"下一页", "Next page"}

	msgHomeTitle    = text{"重大事项请示报告", "Major-matter requests and reports"}
	msgHomeHello    = text{"%s，您好。", "Hello, %s."}
	msgHomeDeptOpen = text{"%s 未办结的事项", "%s: open matters"}
	msgHomeAssigned = text{"交办给 %s 待落实的事项", "Assigned to %s, awaiting implementation"}
	msgHomeQueue    = text{"%s 待处理的事项", "%s: queue"}
	msgHomeToInstr  = text{"待您批示的事项（%s）", "Awaiting your instruction (%s)"}
	msgHomeEmpty    = text{"暂无。", "None."}
	msgHomeNoRole   = text{"您在组织配置中没有部门或机关职务，可使用 help 查看命令。", "You hold no department or committee role in the config; type help for the commands."}

	msgAlertHead       = text{"【%s】%s %s", "[%s] %s %s"}
	msgAlertRestricted = text{"【%s】%s %s — 限定范围（内容另行送阅）", "[%s] %s %s — restricted circulation (content sent separately)"}

	msgBriefUsage            = text{"用法：`%s brief <机关> preview|now|approve`（机关如 party、pl 或其名称）。", "Usage: `%s brief <committee> preview|now|approve` (a committee id or name)."}
	msgBriefClerksOnly       = text{"只有%s的综合部门（秘书）可以编发简报。", "Only the clerks of %s may compile its briefings."}
	msgBriefPreview          = text{"简报预览（仅您可见，共%d条消息；正式编发时编号可能变化）", "Briefing preview (only you see it; %d messages; the issue number may change when it goes out)"}
	msgBriefQueued           = text{"%s简报第%d期已编发（%d条消息），正在送达。", "%s briefing no. %d is compiled (%d messages) and on its way."}
	msgBriefAwaitingApproval = text{"%s简报第%d期已编好，待您审批后发出。", "%s briefing no. %d is ready and waits for your approval."}
	msgBriefApproved         = text{"%s：已批准%d期简报，正在送达。", "%s: %d briefing(s) approved and on their way."}
	msgBriefNothingToApprove = text{"%s没有待审批的简报。", "%s has no briefing awaiting approval."}
	msgButtonApprove         = text{"批准发出", "Approve"}

	msgInstructTitle    = text{"批示", "Instruction"}
	msgReadTitle        = text{"代录圈阅", "Record a read"}
	msgFieldOnBehalf    = text{"代哪位领导录入（代录）", "For which leader (recorded on behalf)"}
	msgFieldInstruction = text{"批示内容", "Instruction"}
	msgFieldLead        = text{"转办：主办单位（可不填）", "Refer to: lead unit (optional)"}
	msgFieldAssisting   = text{"协办单位（可不填）", "Assisting units (optional)"}
	msgFieldDeadline    = text{"办理时限", "Handling deadline"}
	msgFieldRequired    = text{"请填写。", "Required."}
	msgNotYourLeader    = text{"只有 %s 所报机关的领导可以批示、圈阅（办文人员可代录）。", "Only the leaders of the committee %s is before may instruct or read it (their clerks may record for them)."}
	msgAlreadyActed     = text{"%s 您已%s，无需重复。", "You have already acted on %s (%s)."}
	msgReadDone         = text{"已圈阅 %s。", "Read: %s."}
	msgInstructedHead   = text{"%s %s：%s %s", "%s %s: %s — %s"}

	msgFieldProgress    = text{"落实情况", "Progress"}
	msgFieldCompletion  = text{"办结情况", "What was done"}
	msgFieldReason      = text{"理由", "Reason"}
	msgFieldNewDeadline = text{"申请延至", "New deadline asked for"}
	msgNotYourStep      = text{"%s：您不能%s（由承办部门负责人反馈，由综合部门审核）。", "%s: you may not %s (the handling department reports; the committee's clerks decide)."}
	msgNotNow           = text{"%s 当前为“%s”，不能%s。", "%s is %s: you cannot %s now."}
	msgStepDone         = text{"%s：已%s。", "%s: %s recorded."}
	msgReported         = text{"%s %s：%s %s", "%s %s: %s — %s"}
	msgAskedUntil       = text{"申请延至 %s。", "Asks for a new deadline: %s."}
	msgDecided          = text{"%s %s：%s %s，现为“%s”。", "%s %s: %s — %s; now %s."}
	msgNewDeadline      = text{"新的办理时限：%s。", "New deadline: %s."}
	msgButtonExtension  = text{"申请延期", "Ask for more time"}
	msgButtonComplete   = text{"报告办结", "Report completion"}

	msgRemindBefore    = text{"【催办】%s %s：办理时限为 %s，请按时落实反馈。", "[Reminder] %s %s: due %s; please report on time."}
	msgRemindDue       = text{"【催办】%s %s：今天（%s）到期。", "[Reminder] %s %s: due today (%s)."}
	msgRemindOverdue   = text{"【督办】%s %s：已超过办理时限（%s），请尽快落实并反馈。", "[Overdue] %s %s: the deadline (%s) has passed; act and report without delay."}
	msgRemindSupervise = text{"【督办】%s %s：超过时限（%s）多日仍未办结，请督促。", "[Supervision] %s %s: still open well past its deadline (%s); please follow it up."}

	msgThreadWhich       = text{"请注明是对哪一事项的批示，例如：批示 QS-2026-0017：同意。", "Name the item you instruct on, e.g.: 批示 QS-2026-0017：同意。"}
	msgThreadLeadersOnly = text{"只有领导本人可以在简报下回复批示；办文人员代录请使用“批示”按钮。(%s)", "Only leaders may instruct by replying to a briefing; clerks recording for a leader use the 批示 button. (%s)"}
	msgThreadEmpty       = text{"批示内容为空。", "The instruction is empty."}
	msgThreadRecorded    = text{"已记录您对 %s 的批示，并转告报送单位。", "Your instruction on %s is recorded and sent to the department."}

	msgAdminsOnly        = text{"只有管理员可以这样做。", "Only an administrator may do that."}
	msgReloadUnavailable = text{"本次运行不能重新加载配置。", "This run cannot reload its config."}
	msgReloadFailed      = text{"配置有误，未重新加载，仍按原配置运行：", "The config has problems; nothing was reloaded, the old config stays in force:"}
	msgReloaded          = text{"已重新加载组织配置：%d 名成员，%d 个部门，%d 个机关。", "Org config reloaded: %d members, %d departments, %d committees."}

	msgDraftForYou       = text{"%s 起草了一份%s，待您审核报送：%s", "%s drafted a %s for you to review and submit: %s"}
	msgButtonSubmitDraft = text{"审核并报送", "Review done: submit"}
	msgDraftDone         = text{"这份草稿已经报送（%s）。", "That draft was already submitted (%s)."}

	msgWithheldHead = text{"%s简报第%d期中以“限定范围”列出的事项，您可阅：", "%s briefing no. %d lists these as restricted; you may read them:"}

	msgStatsWho   = text{"统计由机关领导、综合部门和管理员查看。", "Statistics are for the committees' leaders and clerks, and admins."}
	msgStatsUsage = text{"用法：`%s stats [2026-11 | 2026] [机关]`", "Usage: `%s stats [2026-11 | 2026] [committee]`"}

	msgCalendarMissing = text{"提醒：工作日历尚未配置 %d 年的节假日和调休安排。在补充之前，办理时限、催办和简报时间只按周一至周五计算，不计法定节假日。请管理员在组织配置的 calendar 中补充。", "Note: the working-day calendar has no %d yet. Until it is added, deadlines, reminders and briefing slots count Monday to Friday only, with no public holidays. Admins: add it under calendar: in the org config."}

	msgModalTitle  = text{"报送重大事项", "Submit a matter"}
	msgModalSubmit = text{"报送", "Submit"}
	msgModalClose  = text{"取消", "Cancel"}
)

// Help is the help text, per language.
var msgHelp = text{
	ZH: "*重大事项请示报告机器人*\n" +
		"`%[1]s new [request|report|filing]` 报送请示、报告或报备（打开表单）\n" +
		"`%[1]s status QS-2026-0017` 查看事项详情与办理记录\n" +
		"`%[1]s list [mine|dept|awaiting|overdue|all] [page N]` 列出事项，最新的在前\n" +
		"`%[1]s find 关键词` 按标题查找\n" +
		"`%[1]s brief 机关 preview|now|approve` 简报预览、编发、审批（综合部门）\n" +
		"`%[1]s stats [2026-11|2026] [机关]` 月报、年报统计（领导、综合部门）\n" +
		"`%[1]s help` 显示本帮助\n" +
		"也可以直接私信机器人输入同样的命令；私信 `new` 可一步一步报送，随时输入 `cancel` 取消。\n" +
		"涉密内容（绝密、机密、秘密）不得通过本机器人报送。",
	EN: "*Major-matter requests and reports*\n" +
		"`%[1]s new [request|report|filing]` submit a request, report or filing (opens a form)\n" +
		"`%[1]s status QS-2026-0017` a matter's card and history\n" +
		"`%[1]s list [mine|dept|awaiting|overdue|all] [page N]` list matters, newest first\n" +
		"`%[1]s find words` search titles\n" +
		"`%[1]s brief committee preview|now|approve` preview, compile, approve briefings (clerks)\n" +
		"`%[1]s stats [2026-11|2026] [committee]` monthly and yearly statistics (leaders, clerks)\n" +
		"`%[1]s help` this help\n" +
		"The same words work in a direct message to the bot; DM `new` to submit step by step, `cancel` at any time.\n" +
		"Classified content (绝密, 机密, 秘密) must never be sent through this bot.",
}

// The step-by-step DM intake.
var (
	msgDMStart       = text{"开始报送%s。每一步回复内容即可，随时回复“取消”放弃。", "Starting a %s. Answer each step; reply “cancel” at any time."}
	msgDMCancelled   = text{"已取消，没有保存任何内容。", "Cancelled; nothing was saved."}
	msgDMExpired     = text{"上一次报送已超时取消。", "The earlier submission timed out and was cancelled."}
	msgDMChoose      = text{"请回复序号：", "Reply with a number:"}
	msgDMBadChoice   = text{"请回复列表中的序号。", "Reply with one of the numbers listed."}
	msgDMSkip        = text{"（可回复“无”跳过）", "(reply “none” to skip)"}
	msgDMBadDate     = text{"日期格式应为 2026-03-02。", "Dates look like 2026-03-02."}
	msgDMConfirmAsk  = text{"请核对以下内容。回复“提交”报送，回复“取消”放弃。", "Please check the following. Reply “submit” to send it, “cancel” to drop it."}
	msgDMYesNo       = text{"请回复“是”或“否”。", "Reply “yes” or “no”."}
	msgDMNotDeclared = text{"未确认不涉密，不能报送。涉密内容请通过机要渠道报送。本次报送已取消。", "Without the unclassified declaration the matter cannot be sent; use the confidential channel for classified content. This submission was cancelled."}
	msgDMFix         = text{"还需修改：%s", "Still to fix: %s"}
	msgDMSignedBy    = text{"签发人：%s（本单位主要负责人），签发日期：%s。", "Signatory: %s (the department's principal), signed %s."}

	msgDMAskTitle     = text{"标题是什么？（一行）", "What is the title? (one line)"}
	msgDMAskItem      = text{"请示的事项是什么？（只写一件事）", "What is the one matter you request?"}
	msgDMAskReasons   = text{"理由是什么？", "What are the reasons?"}
	msgDMAskRecommend = text{"本单位的意见建议是什么？", "What does the department recommend?"}
	msgDMAskBody      = text{"请输入正文。", "Please write the body."}
	msgDMAskType      = text{"报告类别？", "Which kind of report?"}
	msgDMAskFirst     = text{"首报的台账编号是多少？（例如 BG-2026-0001）", "What is the first report's ledger number? (e.g. BG-2026-0001)"}
	msgDMAskDept      = text{"以哪个单位名义报送？", "On behalf of which department?"}
	msgDMAskTo        = text{"主送哪个机关？", "Addressed to which committee?"}
	msgDMAskUrgency   = text{"紧急程度？", "Urgency?"}
	msgDMAskDecision  = text{"决策方式？", "How was it decided?"}
	msgDMAskAnswerBy  = text{"希望何时前答复？（日期，如 2026-03-09）", "Answer needed by? (a date, e.g. 2026-03-09)"}
	msgDMAskDeclare   = text{"请确认：所报内容不涉及国家秘密。回复“是”或“否”。", "Confirm the content is unclassified: reply “yes” or “no”."}
	msgDMClassified   = text{"（本条内容带有密级标识，未保存。涉密内容请通过机要渠道报送。）", " (That answer carries a classification marking and was not kept. Use the confidential channel.)"}
	msgDMEmpty        = text{"请输入内容。", "Please write something."}
	msgDMSubmitWord   = text{"提交", "submit"}
)

// Labels of the intake form's fields.
var fieldLabels = map[string]text{
	briefbot.FieldKind:           {"类型", "Kind"},
	briefbot.FieldReportType:     {"报告类别", "Report type"},
	briefbot.FieldFollowUpOf:     {"首报编号（续报填写）", "First report's number (follow-ups)"},
	briefbot.FieldTitle:          {"标题", "Title"},
	briefbot.FieldBody:           {"正文", "Body"},
	briefbot.FieldRequestedItem:  {"请示事项（一文一事）", "Matter requested (one only)"},
	briefbot.FieldReasons:        {"理由", "Reasons"},
	briefbot.FieldRecommendation: {"本单位意见建议", "The unit's recommendation"},
	briefbot.FieldDepartment:     {"报送单位", "Submitting department"},
	briefbot.FieldSignatory:      {"签发人（本单位主要负责人）", "Signatory (the department's principal)"},
	briefbot.FieldSignedOn:       {"签发日期", "Signing date"},
	briefbot.FieldDecision:       {"决策方式", "How it was decided"},
	briefbot.FieldUrgency:        {"紧急程度", "Urgency"},
	briefbot.FieldAddressee:      {"主送（只能一个）", "Addressee (exactly one)"},
	briefbot.FieldCopied:         {"抄送", "Copied to"},
	briefbot.FieldCategory:       {"类别", "Category"},
	briefbot.FieldAnswerBy:       {"答复期限", "Answer by"},
	briefbot.FieldRelated:        {"关联事项编号（空格分隔）", "Related ledger numbers (space separated)"},
	briefbot.FieldAttachments:    {"附件链接（每行一个）", "Attachment links (one per line)"},
	briefbot.FieldRestricted:     {"限定知悉范围（可不填）", "Restricted to (optional)"},
	briefbot.FieldLevelSkip:      {"越级报送理由", "Reason for skipping a level"},
	briefbot.FieldUnclassified:   {"保密声明", "Classification"},
}

var msgUnclassifiedOption = text{"本人确认：所报内容不涉及国家秘密", "I declare the content is unclassified"}
