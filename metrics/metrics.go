// Package metrics counts what briefbot does, for Prometheus: submissions, Slack
// acknowledgements, outbox deliveries, retries and failures, reminders, and the Socket
// Mode connection.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are briefbot's Prometheus metrics. The zero value (and a nil *Metrics)
// records nothing, so tests and the console need none.
type Metrics struct {
	intakes       *prometheus.CounterVec // matters submitted, by kind and outcome
	intakeSeconds prometheus.Histogram   // time to store a submission durably
	acks          *prometheus.CounterVec // Slack deliveries acknowledged, by transport and type
	deliveries    *prometheus.CounterVec // outbox messages posted, by dispatch kind
	retries       *prometheus.CounterVec // outbox sends retried, by reason (rate_limited, error)
	failures      *prometheus.CounterVec // dispatches refused for good, by kind
	reminders     prometheus.Counter     // reminder steps put in the outbox
	reconnects    prometheus.Counter     // Socket Mode reconnections
	connErrors    prometheus.Counter     // Socket Mode connection errors
	panics        *prometheus.CounterVec // panics recovered while handling one input, by where
}

// New makes the metrics and registers them with reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		intakes:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_intake_total", Help: "Matters submitted, by kind and outcome (stored, duplicate, refused)."}, []string{"kind", "outcome"}),
		intakeSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "briefbot_intake_seconds", Help: "Time to store a submission durably.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		acks:          prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_acks_total", Help: "Slack deliveries acknowledged, by transport and type."}, []string{"transport", "type"}),
		deliveries:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_deliveries_total", Help: "Outbox messages posted, by dispatch kind."}, []string{"kind"}),
		retries:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_delivery_retries_total", Help: "Outbox sends retried, by reason."}, []string{"reason"}),
		failures:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_dispatches_failed_total", Help: "Dispatches Slack refused for good, by kind."}, []string{"kind"}),
		reminders:     prometheus.NewCounter(prometheus.CounterOpts{Name: "briefbot_reminders_total", Help: "Reminder and supervision steps put in the outbox."}),
		reconnects:    prometheus.NewCounter(prometheus.CounterOpts{Name: "briefbot_socket_reconnects_total", Help: "Socket Mode reconnections."}),
		connErrors:    prometheus.NewCounter(prometheus.CounterOpts{Name: "briefbot_socket_errors_total", Help: "Socket Mode connection errors."}),
		panics:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "briefbot_panics_total", Help: "Panics recovered while handling one input (each logged with an incident id), by where."}, []string{"op"}),
	}
	reg.MustRegister(m.intakes, m.intakeSeconds, m.acks, m.deliveries, m.retries, m.failures, m.reminders, m.reconnects, m.connErrors, m.panics)
	return m
}

// Intake counts a submission and, when stored, how long it took to store durably.
func (m *Metrics) Intake(kind, outcome string, since time.Time) {
	if m == nil || m.intakes == nil {
		return
	}
	m.intakes.WithLabelValues(kind, outcome).Inc()
	if outcome == "stored" {
		m.intakeSeconds.Observe(time.Since(since).Seconds())
	}
}

// Ack counts an acknowledged Slack delivery.
func (m *Metrics) Ack(transport, typ string) {
	if m != nil && m.acks != nil {
		m.acks.WithLabelValues(transport, typ).Inc()
	}
}

// Delivered counts an outbox message posted.
func (m *Metrics) Delivered(kind string) {
	if m != nil && m.deliveries != nil {
		m.deliveries.WithLabelValues(kind).Inc()
	}
}

// Retried counts an outbox send retried.
func (m *Metrics) Retried(reason string) {
	if m != nil && m.retries != nil {
		m.retries.WithLabelValues(reason).Inc()
	}
}

// Failed counts a dispatch refused for good.
func (m *Metrics) Failed(kind string) {
	if m != nil && m.failures != nil {
		m.failures.WithLabelValues(kind).Inc()
	}
}

// Reminded counts reminder steps put in the outbox.
func (m *Metrics) Reminded(n int) {
	if m != nil && m.reminders != nil {
		m.reminders.Add(float64(n))
	}
}

// Reconnected counts a Socket Mode reconnection.
func (m *Metrics) Reconnected() {
	if m != nil && m.reconnects != nil {
		m.reconnects.Inc()
	}
}

// ConnectionError counts a Socket Mode connection error.
func (m *Metrics) ConnectionError() {
	if m != nil && m.connErrors != nil {
		m.connErrors.Inc()
	}
}

// Panicked counts a panic recovered while handling one input.
func (m *Metrics) Panicked(op string) {
	if m != nil && m.panics != nil {
		m.panics.WithLabelValues(op).Inc()
	}
}
