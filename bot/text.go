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
		"`%[1]s help` 显示本帮助\n" +
		"也可以直接私信机器人输入同样的命令；私信 `new` 可一步一步报送，随时输入 `cancel` 取消。\n" +
		"涉密内容（绝密、机密、秘密）不得通过本机器人报送。",
	EN: "*Major-matter requests and reports*\n" +
		"`%[1]s new [request|report|filing]` submit a request, report or filing (opens a form)\n" +
		"`%[1]s status QS-2026-0017` a matter's card and history\n" +
		"`%[1]s list [mine|dept|awaiting|overdue|all] [page N]` list matters, newest first\n" +
		"`%[1]s find words` search titles\n" +
		"`%[1]s help` this help\n" +
		"The same words work in a direct message to the bot; DM `new` to submit step by step, `cancel` at any time.\n" +
		"Classified content (绝密, 机密, 秘密) must never be sent through this bot.",
}
