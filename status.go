package briefbot

// Status is where a matter stands in its life (DOMAIN.md "The life of a matter").
type Status string

// The states of a matter.
const (
	StatusDraft      Status = "draft"       // 草稿
	StatusSignOff    Status = "sign_off"    // 待签发: before the department's principal
	StatusSigned     Status = "signed"      // 已签发
	StatusSubmitted  Status = "submitted"   // 已报送: has a ledger number
	StatusReturned   Status = "returned"    // 已退回: sent back to the submitter at review
	StatusRegistered Status = "registered"  // 已登记
	StatusReviewed   Status = "reviewed"    // 已初审
	StatusProposed   Status = "proposed"    // 已拟办
	StatusPresented  Status = "presented"   // 已呈批
	StatusRead       Status = "read"        // 已圈阅
	StatusInstructed Status = "instructed"  // 已批示
	StatusReferred   Status = "referred"    // 已转办
	StatusInProgress Status = "in_progress" // 办理中
	StatusCompleted  Status = "completed"   // 已办结, awaiting the clerk's review
	StatusClosed     Status = "closed"      // 已销号
	StatusArchived   Status = "archived"    // 已归档
	StatusWithdrawn  Status = "withdrawn"   // 已撤回 by the submitter
)

// Statuses lists every state in the order of a matter's life.
var Statuses = []Status{
	StatusDraft, StatusSignOff, StatusSigned, StatusSubmitted, StatusReturned, StatusRegistered,
	StatusReviewed, StatusProposed, StatusPresented, StatusRead, StatusInstructed,
	StatusReferred, StatusInProgress, StatusCompleted, StatusClosed, StatusArchived,
	StatusWithdrawn,
}

// Valid reports whether s is a known state.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Label is the state's name for users.
func (s Status) Label(lang Lang) string { return statusLabels[s].In(lang) }

// AwaitingInstruction reports whether a matter in s is before the committee and not
// yet read or instructed.
func (s Status) AwaitingInstruction() bool {
	switch s {
	case StatusSubmitted, StatusRegistered, StatusReviewed, StatusProposed, StatusPresented:
		return true
	}
	return false
}

// Open reports whether a matter in s still needs someone to act: not closed, archived
// or withdrawn, and not merely read.
func (s Status) Open() bool {
	switch s {
	case StatusRead, StatusClosed, StatusArchived, StatusWithdrawn:
		return false
	}
	return true
}

// Action names a transition of the state machine.
type Action string

// Actions. Each is a transition listed in Transitions.
const (
	ActionAskSignOff       Action = "ask_sign_off"      // 报请签发
	ActionSign             Action = "sign"              // 签发
	ActionRevise           Action = "revise"            // 退回修改 (by the signatory)
	ActionSubmit           Action = "submit"            // 报送 (creates the ledger number)
	ActionResubmit         Action = "resubmit"          // 重新报送 after a return
	ActionWithdraw         Action = "withdraw"          // 撤回
	ActionRegister         Action = "register"          // 登记
	ActionReturn           Action = "return"            // 退回 at review
	ActionReview           Action = "review"            // 初审通过
	ActionPropose          Action = "propose"           // 拟办意见
	ActionPresent          Action = "present"           // 呈批
	ActionRead             Action = "read"              // 圈阅
	ActionInstruct         Action = "instruct"          // 批示
	ActionRefer            Action = "refer"             // 转办/交办
	ActionProgress         Action = "progress"          // 落实反馈
	ActionRequestExtension Action = "request_extension" // 申请延期
	ActionGrantExtension   Action = "grant_extension"   // 同意延期
	ActionDeclineExtension Action = "decline_extension" // 不同意延期
	ActionComplete         Action = "complete"          // 报告办结
	ActionSendBack         Action = "send_back"         // 退办
	ActionClose            Action = "close"             // 销号
	ActionArchive          Action = "archive"           // 归档
)

// Label is the action's name for users.
func (a Action) Label(lang Lang) string { return actionLabels[a].In(lang) }

// Transition is one edge of the state machine: Action takes a matter from From to To.
type Transition struct {
	Action Action
	From   Status
	To     Status
}

// awaiting is every state in which a matter stands before the committee unanswered.
var awaiting = []Status{StatusSubmitted, StatusRegistered, StatusReviewed, StatusProposed, StatusPresented}

// Transitions is the whole state machine. A (action, from) pair not listed here is
// illegal. Creating a matter is the submit edge from the empty state (or a draft).
var Transitions = buildTransitions()

func buildTransitions() []Transition {
	var ts []Transition
	add := func(a Action, to Status, from ...Status) {
		for _, f := range from {
			t := to
			if to == "" { // "" means: stay where it is
				t = f
			}
			ts = append(ts, Transition{a, f, t})
		}
	}
	add(ActionAskSignOff, StatusSignOff, "", StatusDraft)
	add(ActionSign, StatusSigned, StatusDraft)
	add(ActionSign, StatusSubmitted, StatusSignOff) // signed off and submitted: numbered
	// Confirming a matter that went out before its sign-off (未签发, urgent ones only).
	add(ActionSign, "", StatusSubmitted, StatusRegistered, StatusReviewed, StatusProposed, StatusPresented, StatusRead,
		StatusInstructed, StatusReferred, StatusInProgress, StatusCompleted)
	add(ActionRevise, StatusWithdrawn, StatusSignOff)
	add(ActionSubmit, StatusSubmitted, "", StatusDraft, StatusSigned)
	add(ActionResubmit, StatusSubmitted, StatusReturned)
	add(ActionWithdraw, StatusWithdrawn, StatusDraft, StatusSignOff, StatusSigned, StatusSubmitted, StatusReturned)
	add(ActionRegister, StatusRegistered, StatusSubmitted)
	add(ActionReturn, StatusReturned, StatusSubmitted, StatusRegistered, StatusReviewed, StatusProposed)
	add(ActionReview, StatusReviewed, StatusRegistered)
	add(ActionPropose, StatusProposed, StatusRegistered, StatusReviewed)
	add(ActionPresent, StatusPresented, StatusRegistered, StatusReviewed, StatusProposed)
	add(ActionRead, StatusRead, append(awaiting, StatusRead)...)
	add(ActionRead, "", StatusInstructed, StatusReferred, StatusInProgress)
	add(ActionInstruct, StatusInstructed, append(awaiting, StatusRead, StatusInstructed)...)
	add(ActionInstruct, "", StatusReferred, StatusInProgress, StatusCompleted)
	add(ActionRefer, StatusReferred, StatusInstructed)
	add(ActionProgress, StatusInProgress, StatusReferred, StatusInProgress)
	add(ActionRequestExtension, "", StatusReferred, StatusInProgress)
	add(ActionGrantExtension, "", StatusReferred, StatusInProgress)
	add(ActionDeclineExtension, "", StatusReferred, StatusInProgress)
	add(ActionComplete, StatusCompleted, StatusReferred, StatusInProgress)
	add(ActionSendBack, StatusInProgress, StatusCompleted)
	add(ActionClose, StatusClosed, StatusRead, StatusInstructed, StatusCompleted)
	add(ActionArchive, StatusArchived, StatusRead, StatusClosed)
	return ts
}

// Actions lists every action in the order the state machine names them.
var Actions = func() []Action {
	var as []Action
	seen := map[Action]bool{}
	for _, t := range Transitions {
		if !seen[t.Action] {
			seen[t.Action] = true
			as = append(as, t.Action)
		}
	}
	return as
}()

// Next returns the state action takes a matter to from from, and whether the
// transition is legal at all.
func Next(from Status, action Action) (Status, bool) {
	for _, t := range Transitions {
		if t.Action == action && t.From == from {
			return t.To, true
		}
	}
	return "", false
}
