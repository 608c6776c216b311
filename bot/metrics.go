package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus metrics. The zero value (and a nil *Metrics)
// records nothing, so tests and the console need none.
type Metrics struct {
	Intake        *prometheus.CounterVec // matters submitted, by kind and outcome
	IntakeSeconds prometheus.Histogram   // time to store a submission durably
	Acks          *prometheus.CounterVec // Slack deliveries acknowledged, by transport and type
	Deliveries    *prometheus.CounterVec // outbox messages posted, by dispatch kind
	Retries       *prometheus.CounterVec // outbox sends retried, by reason (rate_limited, error)
	Failed        *prometheus.CounterVec // dispatches refused for good, by kind
	Reminders     prometheus.Counter     // reminder steps put in the outbox
	Reconnects    prometheus.Counter     // Socket Mode reconnections
	ConnErrors    prometheus.Counter     // Socket Mode connection errors
}

// NewMetrics makes the metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Intake:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_intake_total", Help: "Matters submitted, by kind and outcome (stored, duplicate, refused)."}, []string{"kind", "outcome"}),
		IntakeSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "briefbot_intake_seconds", Help: "Time to store a submission durably.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		Acks:          prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_acks_total", Help: "Slack deliveries acknowledged, by transport and type."}, []string{"transport", "type"}),
		Deliveries:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_deliveries_total", Help: "Outbox messages posted, by dispatch kind."}, []string{"kind"}),
		Retries:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_delivery_retries_total", Help: "Outbox sends retried, by reason."}, []string{"reason"}),
		Failed:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_dispatches_failed_total", Help: "Dispatches Slack refused for good, by kind."}, []string{"kind"}),
		Reminders:     prometheus.NewCounter(prometheus.CounterOpts{Name: "briefbot_reminders_total", Help: "Reminder and supervision steps put in the outbox."}),
		Reconnects:    prometheus.NewCounter(prometheus.CounterOpts{Name: "briefbot_socket_reconnects_total", Help: "Socket Mode reconnections."}),
		ConnErrors:    prometheus.NewCounter(prometheus.CounterOpts{Name: "briefbot_socket_errors_total", Help: "Socket Mode connection errors."}),
	}
	reg.MustRegister(m.Intake, m.IntakeSeconds, m.Acks, m.Deliveries, m.Retries, m.Failed, m.Reminders, m.Reconnects, m.ConnErrors)
	return m
}

func (m *Metrics) intake(kind, outcome string, since time.Time) {
	if m == nil || m.Intake == nil {
		return
	}
	m.Intake.WithLabelValues(kind, outcome).Inc()
	if outcome == "stored" {
		m.IntakeSeconds.Observe(time.Since(since).Seconds())
	}
}

// Ack counts an acknowledged Slack delivery.
func (m *Metrics) Ack(transport, typ string) {
	if m != nil && m.Acks != nil {
		m.Acks.WithLabelValues(transport, typ).Inc()
	}
}

func (m *Metrics) delivered(kind string) {
	if m != nil && m.Deliveries != nil {
		m.Deliveries.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) retried(reason string) {
	if m != nil && m.Retries != nil {
		m.Retries.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) failed(kind string) {
	if m != nil && m.Failed != nil {
		m.Failed.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) reminded(n int) {
	if m != nil && m.Reminders != nil {
		m.Reminders.Add(float64(n))
	}
}

// Reconnected counts a Socket Mode reconnection; ConnectionError an error.
func (m *Metrics) Reconnected() {
	if m != nil && m.Reconnects != nil {
		m.Reconnects.Inc()
	}
}

// ConnectionError counts a Socket Mode connection error.
func (m *Metrics) ConnectionError() {
	if m != nil && m.ConnErrors != nil {
		m.ConnErrors.Inc()
	}
}
