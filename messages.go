package briefbot

import (
	"fmt"
	"strings"
)

// This file holds every user-facing sentence and label of the vocabulary, in Chinese
// and English, so translators and reviewers find them in one place.

var kindLabels = map[Kind]Text{
	KindRequest: {"请示", "request"},
	KindReport:  {"报告", "report"},
	KindFiling:  {"报备", "filing"},
}

var reportTypeLabels = map[ReportType]Text{
	ReportPeriodic:  {"定期报告", "periodic report"},
	ReportSpecial:   {"专题报告", "special report"},
	ReportSituation: {"情况报告", "situation report"},
	ReportPriority:  {"要情专报", "priority report"},
	ReportFollowUp:  {"续报", "follow-up report"},
	ReportAssigned:  {"交办事项报告", "assigned-task report"},
}

var urgencyLabels = map[Urgency]Text{
	"":                 {"平件", "ordinary"},
	UrgencyOrdinary:    {"平件", "ordinary"},
	UrgencyUrgent:      {"加急", "urgent"},
	UrgencyExtraUrgent: {"特急", "extra urgent"},
}

var decisionLabels = map[DecisionMethod]Text{
	DecisionCollective: {"集体研究", "collective decision"},
	DecisionCirculated: {"传批审定", "circulated for approval"},
}

var statusLabels = map[Status]Text{
	StatusDraft:      {"草稿", "draft"},
	StatusSignOff:    {"待签发", "awaiting sign-off"},
	StatusSigned:     {"已签发", "signed off"},
	StatusSubmitted:  {"已报送", "submitted"},
	StatusReturned:   {"已退回", "returned"},
	StatusRegistered: {"已登记", "registered"},
	StatusReviewed:   {"已初审", "reviewed"},
	StatusProposed:   {"已拟办", "handling proposed"},
	StatusPresented:  {"已呈批", "before the leader"},
	StatusRead:       {"已圈阅", "read"},
	StatusInstructed: {"已批示", "instructed"},
	StatusReferred:   {"已转办", "referred"},
	StatusInProgress: {"办理中", "in progress"},
	StatusCompleted:  {"已办结待销号", "completed, awaiting close-out"},
	StatusClosed:     {"已销号", "closed out"},
	StatusArchived:   {"已归档", "archived"},
	StatusWithdrawn:  {"已撤回", "withdrawn"},
}

var actionLabels = map[Action]Text{
	ActionAskSignOff:       {"报请签发", "ask for sign-off"},
	ActionSign:             {"签发", "sign off"},
	ActionRevise:           {"退回修改", "send back for revision"},
	ActionSubmit:           {"报送", "submit"},
	ActionResubmit:         {"重新报送", "resubmit"},
	ActionWithdraw:         {"撤回", "withdraw"},
	ActionRegister:         {"登记", "register"},
	ActionReturn:           {"退回", "return"},
	ActionReview:           {"初审", "review"},
	ActionPropose:          {"拟办", "propose handling"},
	ActionPresent:          {"呈批", "submit for decision"},
	ActionRead:             {"圈阅", "read"},
	ActionInstruct:         {"批示", "instruct"},
	ActionRefer:            {"转办", "refer"},
	ActionProgress:         {"落实反馈", "report progress"},
	ActionRequestExtension: {"申请延期", "request extension"},
	ActionGrantExtension:   {"同意延期", "grant extension"},
	ActionDeclineExtension: {"不同意延期", "decline extension"},
	ActionComplete:         {"报告办结", "report completion"},
	ActionSendBack:         {"退办", "send back"},
	ActionClose:            {"销号", "close out"},
	ActionArchive:          {"归档", "archive"},
}

var (
	msgInternal  = Text{"抱歉，系统内部出错，请稍后再试或联系管理员。", "Internal error. Please try again later or contact the administrator."}
	msgBadNumber = Text{"台账编号格式不对，应形如 QS-2026-0017（请示）、BG-2026-0042（报告）、BB-2026-0003（报备）。",
		"That is not a ledger number; numbers look like QS-2026-0017 (request), BG-2026-0042 (report), BB-2026-0003 (filing)."}
	msgActorRequired       = Text{"未指明操作人。", "No one is named as taking this step."}
	msgTimeRequired        = Text{"未指明操作时间。", "The step has no time."}
	msgStepTooLong         = Text{fmt.Sprintf("内容过长，请控制在%d字以内。", MaxStepText), fmt.Sprintf("Too long: keep it within %d characters.", MaxStepText)}
	msgClassified          = Text{"内容带有密级标识（绝密/机密/秘密）。涉密内容不得通过本系统报送，请通过机要渠道报送；本次内容未保存。", "The text carries a classification marking (绝密/机密/秘密). Classified content must not go through this bot: use the confidential channel. Nothing was saved."}
	msgReasonRequired      = Text{"请填写理由。", "Please give a reason."}
	msgTextRequired        = Text{"请填写内容。", "Please write the text."}
	msgInstructionRequired = Text{"请填写批示内容。", "Please write the instruction."}
	msgNoSuchInstruction   = Text{"要更正的批示不存在。", "The instruction to correct does not exist."}
	msgLeadRequired        = Text{"请指定主办单位。", "Please name the lead unit."}
	msgDeadlineFuture      = Text{"办理时限必须晚于现在。", "The deadline must be in the future."}
	msgLeadAssisting       = Text{"主办单位不能同时是协办单位。", "The lead unit cannot also be an assisting unit."}
	msgExtensionPending    = Text{"已有一项延期申请尚待决定。", "An extension request is already awaiting a decision."}
	msgExtensionLater      = Text{"延期后的时限必须晚于现有时限。", "The new deadline must be later than the current one."}
	msgNoPendingExtension  = Text{"没有待决定的延期申请。", "There is no extension request awaiting a decision."}

	msgDeclareUnclassified    = Text{"请确认报送内容不涉密。", "Please declare that the content is unclassified."}
	msgKindRequired           = Text{"请选择一种类型：请示、报告或报备（不得混用）。", "Choose exactly one kind: request, report or filing."}
	msgTitleRequired          = Text{"请填写标题。", "Please give a title."}
	msgTitleOneLine           = Text{"标题不能换行。", "The title must be one line."}
	msgReportTypeOnlyReports  = Text{"只有报告才有报告类别和续报关系。", "Only reports have a report type or a first report."}
	msgRequestedItemRequired  = Text{"请示须写明请示事项。", "A request must state the matter requested."}
	msgOneItem                = Text{"请示应当一文一事：本请示列了多个事项，请分别报送。", "One request, one matter: this request lists several items; submit each separately."}
	msgReasonsRequired        = Text{"请示须写明理由。", "A request must give its reasons."}
	msgRecommendationRequired = Text{"请示须提出本单位的意见建议。", "A request must give the unit's own recommendation."}
	msgAnswerByFuture         = Text{"答复期限必须晚于现在。", "The answer deadline must be in the future."}
	msgAnswerByRequestsOnly   = Text{"只有请示才设答复期限。", "Only requests have an answer deadline."}
	msgNoRequestFields        = Text{"报告、报备不填写请示事项、理由和建议；如需上级决定，请另行报送请示。", "Reports and filings carry no requested item, reasons or recommendation; to ask for a decision, file a separate request."}
	msgBodyRequired           = Text{"请填写正文。", "Please write the body."}
	msgReportTypeRequired     = Text{"请选择报告类别。", "Please choose the report type."}
	msgFollowUpOfRequired     = Text{"续报须注明首报的台账编号。", "A follow-up report must name its first report's ledger number."}
	msgFollowUpOfOnly         = Text{"只有续报才注明首报。", "Only a follow-up report names a first report."}
	msgFollowUpOfReport       = Text{"续报所接的首报必须是报告。", "A follow-up must follow a report."}
	msgUnknownDepartment      = Text{"报送单位不在组织配置中。", "The submitting department is not in the org config."}
	msgUnknownMember          = Text{"人员不在组织配置中。", "That person is not in the org config."}
	msgDecisionRequired       = Text{"请选择决策方式：集体研究或传批审定。", "Choose how it was decided: collective decision or circulated for approval."}
	msgUrgencyInvalid         = Text{"紧急程度只能是特急、加急或平件。", "Urgency must be extra urgent, urgent or ordinary."}
	msgOneAddressee           = Text{"主送机关只能有一个。", "There must be exactly one addressee."}
	msgUnknownCommittee       = Text{"该机关不在组织配置中。", "That committee is not in the org config."}
	msgCopiedIsAddressee      = Text{"抄送机关不能同时是主送机关。", "The addressee cannot also be copied."}
	msgDuplicate              = Text{"重复填写。", "Listed twice."}
	msgLevelSkipOff           = Text{"按规定不得越级请示报告。", "Skipping a level is not allowed here."}
	msgLevelSkipReason        = Text{"越级请示报告须说明理由。", "Skipping a level needs a reason."}
	msgLevelSkipWhich         = Text{"越级请示报告须写明被越过的机关。", "Skipping a level needs the body passed over."}
	msgLevelSkipSelf          = Text{"被越过的机关不能是主送机关。", "The body passed over cannot be the addressee."}
	msgLevelSkipCopied        = Text{"越级请示报告须抄送被越过的机关。", "A level skip must be copied to the body passed over."}
	msgBadLink                = Text{"附件须是 http 或 https 链接。", "Attachments must be http or https links."}
)

func msgIllegal(from Status, a Action) Text {
	return Text{
		fmt.Sprintf("该事项当前状态为“%s”，不能%s。", from.Label(LangZH), a.Label(LangZH)),
		fmt.Sprintf("The matter is %s: “%s” is not possible now.", from.Label(LangEN), a.Label(LangEN)),
	}
}

func msgTooLong(max int) Text {
	return Text{fmt.Sprintf("内容过长，请控制在%d字以内。", max), fmt.Sprintf("Too long: keep it within %d characters.", max)}
}

func msgTooMany(max int) Text {
	return Text{fmt.Sprintf("最多%d项。", max), fmt.Sprintf("At most %d.", max)}
}

func msgRequestPhrase(p string) Text {
	return Text{
		fmt.Sprintf("报告不得夹带请示事项（含“%s”）。需要上级决定的事项，请另行报送请示。", p),
		fmt.Sprintf("A report must not carry a request (it says “%s”). To ask for a decision, file a separate request.", p),
	}
}

func msgUnknownCategory(list []string) Text {
	return Text{"类别须为：" + strings.Join(list, "、") + "。", "The category must be one of: " + strings.Join(list, ", ") + "."}
}

var msgNotHead = Text{"只有部门主要负责人或负责人可以报送事项。", "Only a department's principal or heads may submit matters."}

// ErrNotHead refuses a submission by someone who heads no department it could be for.
var ErrNotHead = &Error{Code: EFORBIDDEN, Reason: ReasonNotHead, Msg: msgNotHead, Fields: []FieldError{{Field: FieldDepartment, Msg: msgNotHead}}}

func msgNoSuchMatter(ref Ref) Text {
	return Text{fmt.Sprintf("没有找到事项 %s。", ref), fmt.Sprintf("No matter %s was found.", ref)}
}

func msgAlreadyActed(n Number, a Action) Text {
	return Text{fmt.Sprintf("%s 您已%s，无需重复。", n, a.Label(LangZH)), fmt.Sprintf("You have already acted on %s (%s).", n, a.Label(LangEN))}
}

func msgNotYourLeader(n Number) Text {
	return Text{fmt.Sprintf("%s：只有主送机关的领导可以批示、转办，抄送机关的领导可以圈阅（本机关办文人员可代录）；报送单位的人员应当回避。", n),
		fmt.Sprintf("%s: only the addressee's leaders may instruct and refer it, a copied committee's leaders may mark it read (their own clerks may record for them); the submitting department's people stand aside.", n)}
}

func msgAlreadySigned(n Number) Text {
	return Text{fmt.Sprintf("%s 已经签发，无需再签。", n), fmt.Sprintf("%s is signed off already.", n)}
}

func msgNotSignatory(name string) Text {
	return Text{fmt.Sprintf("只有本部门主要负责人（%s）或其书面授权的负责人可以签发、退回修改。", name),
		fmt.Sprintf("Only the department's principal (%s) or a head they delegated to may sign off or send back for revision.", name)}
}

func msgLeadUnitOnly(n Number, a Action) Text {
	return Text{fmt.Sprintf("%s：只有主办单位负责人可以%s；协办单位请报告落实反馈。", n, a.Label(LangZH)),
		fmt.Sprintf("%s: only the lead unit's heads may %s; an assisting unit reports progress.", n, a.Label(LangEN))}
}

func msgNotYourStep(n Number, a Action) Text {
	return Text{fmt.Sprintf("%s：您不能%s（由承办部门负责人反馈，由综合部门审核）。", n, a.Label(LangZH)),
		fmt.Sprintf("%s: you may not %s (the handling department reports; the committee's clerks decide).", n, a.Label(LangEN))}
}
