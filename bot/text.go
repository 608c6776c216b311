package bot

import "github.com/briefbot/briefbot"

// Every user-facing sentence of the bot, in Chinese and English. Chinese is the default.

// text is one sentence in both languages (briefbot.Text, shortened for the catalogue).
type text = briefbot.Text

var (
	msgSorry             = text{ZH: "抱歉，系统出错了，请稍后再试。如问题持续，请将编号 %s 告知管理员。", EN: "Sorry, something went wrong. Please try again later; if it persists, give the administrator this id: %s."}
	msgUnknownUser       = text{ZH: "您好！您还不在本单位的机器人名单中，暂时无法使用。请联系管理员将您加入组织配置。", EN: "Hello! You are not in this organisation's list yet, so the bot cannot serve you. Please ask the administrator to add you to the org config."}
	msgClassifiedCommand = text{ZH: "所输入的内容带有密级标识，未执行、未保存。涉密内容不得通过本系统处理。", EN: "What you typed carries a classification marking: it was not run and not kept. Classified content must not go through this bot."}
	msgUnknownCmd        = text{ZH: "没有听懂“%s”。输入 help 查看可用命令。", EN: "I did not understand “%s”. Type help to see the commands."}
	msgNoNumberGiven     = text{ZH: "请给出台账编号，例如：status QS-2026-0017", EN: "Give a ledger number, for example: status QS-2026-0017"}
	msgNothingFound      = text{ZH: "没有找到符合条件的事项。", EN: "No matters found."}
	msgNoWords           = text{ZH: "请给出要查找的词语，例如：find 执行", EN: "Give words to find, for example: find 执行"}
	msgBadPage           = text{ZH: "页码应为正整数，例如：list mine page 2", EN: "The page must be a positive number, for example: list mine page 2"}
	msgBadScope          = text{ZH: "list 后可跟 mine、dept、awaiting、overdue 或 all。", EN: "list takes mine, dept, awaiting, overdue or all."}
	msgBadKind           = text{ZH: "new 后可跟 request（请示）、report（报告）或 filing（报备）。", EN: "new takes request, report or filing."}

	msgListTitle  = text{ZH: "%s（第%d页）", EN: "%s (page %d)"}
	msgListMore   = text{ZH: "后面还有。输入 `%s` 查看下一页。", EN: "More follow. Type `%s` for the next page."}
	msgScopeMine  = text{ZH: "我报送的事项", EN: "Matters I submitted"}
	msgScopeDept  = text{ZH: "本部门的事项", EN: "My department's matters"}
	msgScopeAwait = text{ZH: "待批示的事项", EN: "Awaiting instruction"}
	msgScopeLate  = text{ZH: "逾期的事项", EN: "Overdue"}
	msgScopeAll   = text{ZH: "我可查看的全部事项", EN: "All matters I may see"}
	msgScopeFind  = text{ZH: "含“%s”的事项", EN: "Matters with “%s”"}
	msgWordSep    = text{ZH: "”“", EN: "”, “"}

	msgCardKind            = text{ZH: "类型", EN: "Kind"}
	msgCardStatus          = text{ZH: "状态", EN: "Status"}
	msgCardUrgency         = text{ZH: "紧急程度", EN: "Urgency"}
	msgCardDept            = text{ZH: "报送单位", EN: "From"}
	msgCardSigned          = text{ZH: "签发", EN: "Signed off"}
	msgCardTo              = text{ZH: "主送", EN: "To"}
	msgCardCopied          = text{ZH: "抄送", EN: "Copied to"}
	msgCardCategory        = text{ZH: "类别", EN: "Category"}
	msgCardAnswerBy        = text{ZH: "答复期限", EN: "Answer by"}
	msgCardDeadline        = text{ZH: "办理时限", EN: "Deadline"}
	msgCardItem            = text{ZH: "请示事项", EN: "Matter requested"}
	msgCardReasons         = text{ZH: "理由", EN: "Reasons"}
	msgCardRecommend       = text{ZH: "本单位意见", EN: "Recommendation"}
	msgCardBody            = text{ZH: "正文", EN: "Body"}
	msgCardFollowUp        = text{ZH: "首报", EN: "First report"}
	msgCardRelated         = text{ZH: "关联事项", EN: "Related"}
	msgCardAttach          = text{ZH: "附件", EN: "Attachments"}
	msgCardFiles           = text{ZH: "附件文件", EN: "Attached files"}
	msgFileLine            = text{ZH: "%s（%s，SHA-256 %s）", EN: "%s (%s, SHA-256 %s)"}
	msgFilesOffHere        = text{ZH: "本系统未开启附件文件，请以链接方式提供附件。", EN: "File attachments are off here: give attachments as links."}
	msgFileFetch           = text{ZH: "附件下载失败，请重新上传。本次未保存任何附件。", EN: "An attachment could not be fetched: please upload it again. No file was kept."}
	msgFileServedBad       = text{ZH: "附件下载后的大小与上传时不符或超过上限，请重新上传。本次未保存任何附件。", EN: "An attachment did not arrive at the size it was uploaded with, or is over the limit: please upload it again. No file was kept."}
	msgCardRestricted      = text{ZH: "限定知悉范围", EN: "Restricted circulation"}
	msgCardAwaitingSignOff = text{ZH: "待签发（%s）", EN: "awaiting sign-off (%s)"}
	msgCardUnsigned        = text{ZH: "未签发（特急先报，待补签发）", EN: "not yet signed off (sent ahead as urgent)"}
	msgCardLevelSkip       = text{ZH: "越级报送：越过 %s（已抄送）；理由：%s", EN: "Skips a level: passes over %s (copied); reason: %s"}
	msgCardDelegated       = text{ZH: "（授权签发）", EN: "(signed by delegation)"}
	msgCardInstr           = text{ZH: "批示", EN: "Instructions"}
	msgCardHistory         = text{ZH: "办理记录", EN: "History"}
	msgCardMoreHistory     = text{ZH: "（另有 %d 条更早的记录）", EN: "(%d earlier steps)"}
	msgCardCut             = text{ZH: "……（内容较长，完整内容见台账 %s）", EN: "… (long; the full text is in the ledger, %s)"}
	msgButtonNew           = text{ZH: "报送新事项", EN: "Submit a matter"}
	msgButtonNext          = text{ZH: "下一页", EN: "Next page"}

	msgHomeTitle    = text{ZH: "重大事项请示报告", EN: "Major-matter requests and reports"}
	msgHomeHello    = text{ZH: "%s，您好。", EN: "Hello, %s."}
	msgHomeDeptOpen = text{ZH: "%s 未办结的事项", EN: "%s: open matters"}
	msgHomeAssigned = text{ZH: "交办给 %s 待落实的事项", EN: "Assigned to %s, awaiting implementation"}
	msgHomeQueue    = text{ZH: "%s 待处理的事项", EN: "%s: queue"}
	msgHomeToInstr  = text{ZH: "待您批示的事项（%s）", EN: "Awaiting your instruction (%s)"}
	msgHomeEmpty    = text{ZH: "暂无。", EN: "None."}
	msgHomeNoRole   = text{ZH: "您在组织配置中没有部门或机关职务，可使用 help 查看命令。", EN: "You hold no department or committee role in the config; type help for the commands."}

	msgBriefUsage            = text{ZH: "用法：`%s brief <机关> preview|now|approve`（机关如 party、pl 或其名称）。", EN: "Usage: `%s brief <committee> preview|now|approve` (a committee id or name)."}
	msgBriefClerksOnly       = text{ZH: "只有%s的综合部门（秘书）可以编发简报。", EN: "Only the clerks of %s may compile its briefings."}
	msgBriefPreview          = text{ZH: "简报预览（仅您可见，共%d条消息；正式编发时编号可能变化）", EN: "Briefing preview (only you see it; %d messages; the issue number may change when it goes out)"}
	msgBriefQueued           = text{ZH: "%s简报第%d期已编发（%d条消息），正在送达。", EN: "%s briefing no. %d is compiled (%d messages) and on its way."}
	msgBriefApproved         = text{ZH: "%s：已批准%d期简报，正在送达。", EN: "%s: %d briefing(s) approved and on their way."}
	msgBriefNothingToApprove = text{ZH: "%s没有待审批的简报。", EN: "%s has no briefing awaiting approval."}

	msgInstructTitle    = text{ZH: "批示", EN: "Instruction"}
	msgReadTitle        = text{ZH: "代录圈阅", EN: "Record a read"}
	msgFieldOnBehalf    = text{ZH: "代哪位领导录入（代录）", EN: "For which leader (recorded on behalf)"}
	msgFieldInstruction = text{ZH: "批示内容", EN: "Instruction"}
	msgFieldLead        = text{ZH: "转办：主办单位（可不填）", EN: "Refer to: lead unit (optional)"}
	msgFieldAssisting   = text{ZH: "协办单位（可不填）", EN: "Assisting units (optional)"}
	msgFieldDeadline    = text{ZH: "办理时限", EN: "Handling deadline"}
	msgReadDone         = text{ZH: "已圈阅 %s。", EN: "Read: %s."}
	msgNeedsForm        = text{ZH: "%s需要填写表单：请从 %s 的按钮打开。", EN: "To %s, open the form from %s's button."}

	msgFieldProgress      = text{ZH: "落实情况", EN: "Progress"}
	msgFieldCompletion    = text{ZH: "办结情况", EN: "What was done"}
	msgFieldReason        = text{ZH: "理由", EN: "Reason"}
	msgFieldNewDeadline   = text{ZH: "申请延至", EN: "New deadline asked for"}
	msgStepDone           = text{ZH: "%s：已%s。", EN: "%s: %s recorded."}
	msgDMSignYou          = text{ZH: "由您签发", EN: "signed off by you"}
	msgDMSignYouDelegated = text{ZH: "由您授权签发", EN: "signed off by you, by delegation"}
	msgDMSignAsk          = text{ZH: "提交后报请 %s 签发，签发后编号报送", EN: "after you submit it goes to %s to sign off; signed, it is numbered and submitted"}
	msgDMSignAfter        = text{ZH: "特急先报，提交后报请 %s 补签发", EN: "urgent: submitted at once, then signed off by %s"}
	msgDMSignNone         = text{ZH: "不需签发", EN: "no sign-off"}
	msgAskedSignOff       = text{ZH: "《%s》已报请 %s 签发。签发后即编号报送，届时您会收到回执。", EN: "“%s” is with %s for sign-off. Once signed off it is submitted under its ledger number and you get the receipt."}
	msgStepAlready        = text{ZH: "%s：这一步已经记录过，未重复记录。", EN: "%s: this step was already recorded; nothing was recorded twice."}
	msgStepNow            = text{ZH: "当前状态：%s。", EN: "Now: %s."}
	msgListSep            = text{ZH: "、", EN: ", "}

	msgTypedNoSuchMember     = text{ZH: "“代”后面应是一位领导的姓名。", EN: "“for” must be followed by a leader's name."}
	msgTypedNoSuchDepartment = text{ZH: "“转办”后面应是部门名称（主办单位），协办单位写在“协办”后面。", EN: "“refer” must be followed by a department's name (the lead unit); assisting units follow “assist”."}
	msgTypedReadNoRefer      = text{ZH: "圈阅不能转办；需要转办请用“批示”。", EN: "A 圈阅 cannot refer; use instruct to refer."}

	msgThreadUnknown     = text{ZH: "这条消息串不是本机器人发出的简报或提醒，批示未记录。请在简报的消息串中回复，或注明编号，例如：批示 QS-2026-0017：同意。", EN: "This thread is not one of the bot's briefings or alerts, so nothing was recorded. Reply in a briefing's thread, or name the item, e.g.: 批示 QS-2026-0017：同意。"}
	msgThreadWhich       = text{ZH: "请注明是对哪一事项的批示，例如：批示 QS-2026-0017：同意。", EN: "Name the item you instruct on, e.g.: 批示 QS-2026-0017：同意。"}
	msgThreadLeadersOnly = text{ZH: "只有领导本人可以在简报下回复批示；办文人员代录请使用“批示”按钮。(%s)", EN: "Only leaders may instruct by replying to a briefing; clerks recording for a leader use the 批示 button. (%s)"}
	msgThreadEmpty       = text{ZH: "批示内容为空。", EN: "The instruction is empty."}
	msgThreadRecorded    = text{ZH: "已记录您对 %s 的批示，并转告报送单位。", EN: "Your instruction on %s is recorded and sent to the department."}

	msgAdminsOnly        = text{ZH: "只有管理员可以这样做。", EN: "Only an administrator may do that."}
	msgReloadUnavailable = text{ZH: "本次运行不能重新加载配置。", EN: "This run cannot reload its config."}
	msgReloadFailed      = text{ZH: "配置有误，未重新加载，仍按原配置运行：", EN: "The config has problems; nothing was reloaded, the old config stays in force:"}
	msgReloaded          = text{ZH: "已重新加载组织配置：%d 名成员，%d 个部门，%d 个机关。", EN: "Org config reloaded: %d members, %d departments, %d committees."}

	msgDraftDone      = text{ZH: "这份草稿已经报送（%s）。", EN: "That draft was already submitted (%s)."}
	msgDraftSubmitted = text{ZH: "草稿已报送，台账编号 *%s*（%s）；回执另行私信。", EN: "The draft is submitted as *%s* (%s); the receipt follows by DM."}

	msgStatsWho   = text{ZH: "统计由机关领导、综合部门和管理员查看。", EN: "Statistics are for the committees' leaders and clerks, and admins."}
	msgStatsUsage = text{ZH: "用法：`%s stats [2026-11 | 2026] [机关]`", EN: "Usage: `%s stats [2026-11 | 2026] [committee]`"}

	msgModalTitle  = text{ZH: "报送重大事项", EN: "Submit a matter"}
	msgModalSubmit = text{ZH: "报送", EN: "Submit"}
	msgModalClose  = text{ZH: "取消", EN: "Cancel"}
)

// Help is the help text, per language.
// The help, in parts: a member sees the lines of what their roles allow.
var (
	msgHelpHead = text{ZH: "*重大事项请示报告机器人*　您的身份：%[2]s", EN: "*Major-matter requests and reports* · you are: %[2]s"}
	msgHelpAll  = text{
		ZH: "`%[1]s status QS-2026-0017` 查看事项详情、办理记录和您可办的操作\n" +
			"`%[1]s list [mine|dept|awaiting|overdue|all] [page N]` 列出事项，最新的在前\n" +
			"`%[1]s find 关键词` 按标题、正文、批示、案号、台账编号或部门查找（每个词至少两个字）",
		EN: "`%[1]s status QS-2026-0017` a matter's card, its history and what you may do with it\n" +
			"`%[1]s list [mine|dept|awaiting|overdue|all] [page N]` list matters, newest first\n" +
			"`%[1]s find words` search titles, bodies, 批示, case numbers, ledger numbers or departments (words of two characters or more)"}
	msgHelpHeads = text{ZH: "*报送与落实（部门负责人）*\n" +
		"`%[1]s new [request|report|filing]` 报送请示、报告或报备\n" +
		"`反馈 QS-2026-0017 落实情况` 报告落实进展（主办、协办单位）\n" +
		"`延期 QS-2026-0017 至 2026-12-30 理由 …` 申请延期　`办结 QS-2026-0017 办理结果` 报告办结（主办单位）",
		EN: "*Submitting and following through (department heads)*\n" +
			"`%[1]s new [request|report|filing]` submit a request, report or filing\n" +
			"`progress QS-2026-0017 what was done` report progress (lead and assisting units)\n" +
			"`extend QS-2026-0017 to 2026-12-30 reason …` ask for more time · `complete QS-2026-0017 outcome` report completion (lead unit)"}
	msgHelpMember = text{ZH: "*起草（部门成员）*\n`%[1]s new` 起草事项，交部门负责人审核报送",
		EN: "*Drafting (department members)*\n`%[1]s new` draft a matter for your department's heads to submit"}
	msgHelpLeader = text{ZH: "*批示（委员会领导）*\n" +
		"`批示 QS-2026-0017 同意，抓紧办理` 批示；可加 `转办 部门 协办 部门 期限 2026-12-30`\n" +
		"`圈阅 QS-2026-0017` 圈阅；也可在简报消息串中回复“批示：…”\n" +
		"`%[1]s stats [2026-11|2026]` 月报、年报统计",
		EN: "*Instructing (committee leaders)*\n" +
			"`instruct QS-2026-0017 Agreed` record a 批示; add `refer DEPT assist DEPT by 2026-12-30` to refer it\n" +
			"`read QS-2026-0017` mark it read (圈阅); or reply “批示：…” in a briefing's thread\n" +
			"`%[1]s stats [2026-11|2026]` monthly and yearly statistics"}
	msgHelpClerk = text{ZH: "*办文（综合部门）*\n" +
		"`批示 QS-2026-0017 代 赵书记 同意` 代录批示（圈阅同）\n" +
		"`同意延期 QS-2026-0017`、`不同意延期 QS-2026-0017 理由 …`、`退办 QS-2026-0017 理由 …`、`销号 QS-2026-0017`\n" +
		"`%[1]s brief 机关 preview|now|approve` 简报预览、编发、审批　`%[1]s stats` 统计",
		EN: "*The office (clerks)*\n" +
			"`instruct QS-2026-0017 for NAME Agreed` record a leader's 批示 (likewise read)\n" +
			"`grant QS-2026-0017`, `decline QS-2026-0017 reason …`, `return QS-2026-0017 reason …`, `close QS-2026-0017`\n" +
			"`%[1]s brief committee preview|now|approve` preview, compile, approve briefings · `%[1]s stats` statistics"}
	msgHelpAdmin = text{ZH: "*管理*\n`%[1]s reload` 重新加载组织配置", EN: "*Administration*\n`%[1]s reload` reload the org config"}
	msgHelpFoot  = text{ZH: "以上命令也可直接私信机器人；私信 `new` 可一步一步报送，随时输入 `cancel` 取消。\n涉密内容（绝密、机密、秘密）不得通过本机器人报送。",
		EN: "The same words work in a direct message to the bot; DM `new` to submit step by step, `cancel` at any time.\nClassified content (绝密, 机密, 秘密) must never be sent through this bot."}
	msgRoleNone = text{ZH: "未担任任何职务", EN: "no role"}
)

// The step-by-step DM intake.
var (
	msgDMStart           = text{ZH: "开始报送%s。每一步回复内容即可；可以跳过的问题回复“无”；随时回复“取消”放弃。", EN: "Starting a %s. Answer each question; reply “none” to skip an optional one, “cancel” at any time."}
	msgDMCancelled       = text{ZH: "已取消，没有保存任何内容。", EN: "Cancelled; nothing was saved."}
	msgDMExpired         = text{ZH: "上一次报送已超时取消。", EN: "The earlier submission timed out and was cancelled."}
	msgDMChoose          = text{ZH: "请回复序号：", EN: "Reply with a number:"}
	msgDMChooseMany      = text{ZH: "请回复序号，可回复多个，用空格或顿号分隔：", EN: "Reply with one or more numbers, separated by spaces or commas:"}
	msgDMChooseMembers   = text{ZH: "请回复姓名或序号，可回复多个，用空格或顿号分隔：", EN: "Reply with one or more names or numbers, separated by spaces or commas:"}
	msgDMBadChoice       = text{ZH: "请回复列表中的序号。", EN: "Reply with one of the numbers listed."}
	msgDMSkip            = text{ZH: "（可回复“无”跳过）", EN: " (reply “none” to skip)"}
	msgDMBadDate         = text{ZH: "日期格式应为 2026-03-02。", EN: "Dates look like 2026-03-02."}
	msgDMUnknownMember   = text{ZH: "组织配置中没有“%s”。", EN: "There is no member “%s” in the org config."}
	msgDMUnknownMembers  = text{ZH: "名单中有人不在组织配置中。", EN: "Someone on the list is not in the org config."}
	msgDMConfirmAsk      = text{ZH: "请核对以下内容：", EN: "Please check the following:"}
	msgDMConfirmHow      = text{ZH: "回复“提交”报送；回复“修改 N”修改第 N 项；回复“取消”放弃。", EN: "Reply “submit” to send it, “edit N” to change answer N, “cancel” to drop it."}
	msgDMBadEdit         = text{ZH: "请回复“修改”加 1 到 %d 之间的序号，例如“修改 2”。", EN: "Reply “edit” with a number from 1 to %d, e.g. “edit 2”."}
	msgDMYesNo           = text{ZH: "请回复“是”或“否”。", EN: "Reply “yes” or “no”."}
	msgDMNotDeclared     = text{ZH: "您没有确认所报内容不涉密，本次报送已结束，没有保存任何内容。涉密事项不得通过本系统报送，请通过机要渠道报送。", EN: "You did not declare the content unclassified, so this submission has ended and nothing was stored. Classified matters must not go through this bot: send them through the classified channel."}
	msgDMDeclared        = text{ZH: "已确认不涉及国家秘密", EN: "declared unclassified"}
	msgDMDefaultAnswerBy = text{ZH: "未填，按规定期限（%s）", EN: "not given: the standard limit (%s)"}
	msgDMFix             = text{ZH: "还需修改：%s", EN: "Still to fix: %s"}
	msgDMClassified      = text{ZH: "这条回复带有密级标识，未保存，也不复述。涉密内容不得通过本系统报送，请通过机要渠道报送。", EN: "That answer carries a classification marking: it was not kept and is not repeated. Classified content must not go through this bot; use the classified channel."}

	msgDMAskTitle       = text{ZH: "标题是什么？（一行）", EN: "What is the title? (one line)"}
	msgDMAskItem        = text{ZH: "请示的事项是什么？（只写一件事）", EN: "What is the one matter you request?"}
	msgDMAskReasons     = text{ZH: "理由是什么？", EN: "What are the reasons?"}
	msgDMAskRecommend   = text{ZH: "本单位的意见建议是什么？", EN: "What does the department recommend?"}
	msgDMAskBody        = text{ZH: "请输入正文。", EN: "Please write the body."}
	msgDMAskType        = text{ZH: "报告类别？", EN: "Which kind of report?"}
	msgDMAskFirst       = text{ZH: "首报的台账编号是多少？（例如 BG-2026-0001）", EN: "What is the first report's ledger number? (e.g. BG-2026-0001)"}
	msgDMAskDept        = text{ZH: "以哪个单位名义报送？", EN: "On behalf of which department?"}
	msgDMAskDecision    = text{ZH: "决策方式？", EN: "How was it decided?"}
	msgDMAskUrgency     = text{ZH: "紧急程度？", EN: "Urgency?"}
	msgDMAskTo          = text{ZH: "主送哪个机关？（只能一个）", EN: "Addressed to which committee? (exactly one)"}
	msgDMAskCopied      = text{ZH: "抄送哪些机关？", EN: "Copied to which committees?"}
	msgDMAskCategory    = text{ZH: "类别？", EN: "Category?"}
	msgDMAskAnswerBy    = text{ZH: "希望何时前答复？（日期，如 2026-03-09；回复“无”则按规定期限 %s）", EN: "Answer needed by? (a date, e.g. 2026-03-09; reply “none” for the standard limit, %s)"}
	msgDMAskRelated     = text{ZH: "关联事项的台账编号？（可写多个，用空格分隔，如 QS-2026-0017 BG-2026-0042）", EN: "Related matters' ledger numbers? (several may be given, separated by spaces, e.g. QS-2026-0017 BG-2026-0042)"}
	msgDMAskFiles       = text{ZH: "附件文件？请直接在此发送文件（%s，每个不超过 %s，最多 %d 个）；发完或没有，请回复“无”。", EN: "Attached files? Send them here (%s; each at most %s, at most %d); when done, or if none, answer “none”."}
	msgDMFilesGot       = text{ZH: "已收到附件：", EN: "Files received:"}
	msgDMTooManyFiles   = text{ZH: "附件文件最多 %d 个，本次发送的文件未保存。", EN: "At most %d attached files: the files just sent were not kept."}
	msgDMFilesNone      = text{ZH: "请发送文件；发完或没有，请回复“无”。", EN: "Send the files; when done, or if none, answer “none”."}
	msgDMFileAgain      = text{ZH: "有 %d 份附件是在另一台服务器上收到的，这里没有保存，请重新发送。", EN: "%d attached files arrived at another server and are not kept here: please send them again."}
	msgDMFileNoConv     = text{ZH: "收到文件，但没有进行中的报送，文件未保存。请先发送 new 开始报送，问到附件时再发送文件。", EN: "A file arrived, but no submission is in progress, so it was not kept. Send new first, and the files when asked for them."}
	msgDMAskAttach      = text{ZH: "附件链接？（http 或 https 链接，可写多个，每行一个）", EN: "Links to attachments? (http or https; several may be given, one per line)"}
	msgDMAskRestricted  = text{ZH: "是否限定知悉范围？如限定，请写出可以知悉的人员：只有他们和您本人能看到此事项。", EN: "Restrict who may see it? If so, list who may: only they and you will see it."}
	msgDMAskLevelSkip   = text{ZH: "越级报送的理由？", EN: "Why does it skip a level?"}
	msgDMAskSkippedBody = text{ZH: "是否越级报送？如是，请选择被越过的机关（将自动抄送）。", EN: "Does this skip a level? If so, choose the body passed over (it is copied)."}
	msgDMAskDeclare     = text{ZH: "保密声明：请确认所报内容不涉及国家秘密。回复“是”确认；回复“否”则结束本次报送，不保存任何内容。", EN: "Classification: confirm the content is unclassified. Reply “yes” to confirm; “no” ends this submission and keeps nothing."}
)

// Labels of the intake form's fields.
var fieldLabels = map[string]text{
	briefbot.FieldKind:           {ZH: "类型", EN: "Kind"},
	briefbot.FieldReportType:     {ZH: "报告类别", EN: "Report type"},
	briefbot.FieldFollowUpOf:     {ZH: "首报编号（续报填写）", EN: "First report's number (follow-ups)"},
	briefbot.FieldTitle:          {ZH: "标题", EN: "Title"},
	briefbot.FieldBody:           {ZH: "正文", EN: "Body"},
	briefbot.FieldRequestedItem:  {ZH: "请示事项（一文一事）", EN: "Matter requested (one only)"},
	briefbot.FieldReasons:        {ZH: "理由", EN: "Reasons"},
	briefbot.FieldRecommendation: {ZH: "本单位意见建议", EN: "The unit's recommendation"},
	briefbot.FieldDepartment:     {ZH: "报送单位", EN: "Submitting department"},
	briefbot.FieldSignatory:      {ZH: "签发人（本单位主要负责人）", EN: "Signatory (the department's principal)"},
	briefbot.FieldSignedOn:       {ZH: "签发日期", EN: "Signing date"},
	briefbot.FieldDecision:       {ZH: "决策方式", EN: "How it was decided"},
	briefbot.FieldUrgency:        {ZH: "紧急程度", EN: "Urgency"},
	briefbot.FieldAddressee:      {ZH: "主送（只能一个）", EN: "Addressee (exactly one)"},
	briefbot.FieldCopied:         {ZH: "抄送", EN: "Copied to"},
	briefbot.FieldCategory:       {ZH: "类别", EN: "Category"},
	briefbot.FieldAnswerBy:       {ZH: "答复期限", EN: "Answer by"},
	briefbot.FieldRelated:        {ZH: "关联事项编号（空格分隔）", EN: "Related ledger numbers (space separated)"},
	briefbot.FieldAttachments:    {ZH: "附件链接（每行一个）", EN: "Attachment links (one per line)"},
	briefbot.FieldFiles:          {ZH: "附件文件", EN: "Attached files"},
	briefbot.FieldRestricted:     {ZH: "限定知悉范围（可不填）", EN: "Restricted to (optional)"},
	briefbot.FieldLevelSkip:      {ZH: "越级报送理由", EN: "Reason for skipping a level"},
	briefbot.FieldSkippedBody:    {ZH: "越级报送：被越过的机关（将自动抄送）", EN: "Skipping a level: the body passed over (copied automatically)"},
	briefbot.FieldUnclassified:   {ZH: "保密声明", EN: "Classification"},
}

var msgUnclassifiedOption = text{ZH: "本人确认：所报内容不涉及国家秘密", EN: "I declare the content is unclassified"}

// msgTypedUsage is how each typed step is written.
var msgTypedUsage = map[briefbot.Action]text{
	briefbot.ActionInstruct: {ZH: "写法：批示 QS-2026-0001 同意，抓紧办理（办文人员代录：批示 QS-2026-0001 代 赵书记 同意；转办：… 转办 民事审判庭 协办 刑事审判庭 期限 2026-12-30）",
		EN: "Write: instruct QS-2026-0001 Agreed (a clerk recording: instruct QS-2026-0001 for NAME Agreed; to refer: … refer DEPT assist DEPT by 2026-12-30)"},
	briefbot.ActionRead:             {ZH: "写法：圈阅 QS-2026-0001（代录：圈阅 QS-2026-0001 代 赵书记）", EN: "Write: read QS-2026-0001 (a clerk recording: read QS-2026-0001 for NAME)"},
	briefbot.ActionProgress:         {ZH: "写法：反馈 QS-2026-0001 落实情况", EN: "Write: progress QS-2026-0001 what was done"},
	briefbot.ActionRequestExtension: {ZH: "写法：延期 QS-2026-0001 至 2026-12-30 理由 原因", EN: "Write: extend QS-2026-0001 to 2026-12-30 reason why"},
	briefbot.ActionGrantExtension:   {ZH: "写法：同意延期 QS-2026-0001", EN: "Write: grant QS-2026-0001"},
	briefbot.ActionDeclineExtension: {ZH: "写法：不同意延期 QS-2026-0001 理由 原因", EN: "Write: decline QS-2026-0001 reason why"},
	briefbot.ActionComplete:         {ZH: "写法：办结 QS-2026-0001 办理结果", EN: "Write: complete QS-2026-0001 the outcome"},
	briefbot.ActionSendBack:         {ZH: "写法：退办 QS-2026-0001 理由 原因", EN: "Write: return QS-2026-0001 reason why"},
	briefbot.ActionClose:            {ZH: "写法：销号 QS-2026-0001", EN: "Write: close QS-2026-0001"},
	briefbot.ActionSign:             {ZH: "写法：签发 QS-2026-0001（待签发的事项尚无编号，请用通知中的“签发”按钮）", EN: "Write: sign QS-2026-0001 (a matter awaiting sign-off has no number yet: use the Sign off button of its notice)"},
	briefbot.ActionRevise:           {ZH: "写法：请用通知中的“退回修改”按钮，并写明理由", EN: "Use the Send back for revision button of the notice, with a reason"},
}
