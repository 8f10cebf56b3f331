// Shown on every page while Hearth runs on the local Stripe emulator (HEARTH_PAYMENTS=emulator):
// nobody should take a demo for a place that charges them, or a host think it charges anyone.
export function DemoPaymentsBand() {
  return (
    <aside className="demo-band" aria-label="Demo payments">
      <strong>Demo payments: no real money moves.</strong> This Hearth uses a stand-in for Stripe, so contributions are
      pretend and nobody is charged.
    </aside>
  );
}
