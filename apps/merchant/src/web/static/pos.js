// The till page's script (served as a file: the CSP allows no inline script). It posts to the
// JSON POS API with the page's CSRF token and scans codes with BarcodeDetector where available.
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const form = document.getElementById('till');
  const result = document.getElementById('result');
  const code = document.getElementById('code');

  // A fresh order id per sale (the POS API is idempotent by order id: a retried click after a
  // network error cannot earn twice). For a refund the cashier types the original order id.
  function newOrderId() {
    form.elements.orderId.value = `T${Date.now().toString(36).toUpperCase()}`;
  }
  if (form.elements.orderId.value === '') newOrderId();

  // Texts in the page's language (rendered by the server into data-messages); English API text as
  // the fallback for a code the page does not know.
  const messages = JSON.parse(result.dataset.messages || '{}');
  function say(key, vars, fallback) {
    const text = messages[key];
    if (typeof text !== 'string') return fallback;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  }

  function show(text, ok) {
    result.textContent = text;
    result.className = ok ? 'notice' : 'error';
    result.hidden = false;
  }

  function numberOrUndefined(value) {
    return value.trim() === '' ? undefined : Number(value);
  }

  async function call(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = data.error || { code: 'internal_error', message: 'Error ' + response.status };
      show(say('pos_' + error.code, {}, error.message) + ' (' + error.code + ')', false);
      return;
    }
    const signed = (data.entry.points >= 0 ? '+' : '') + data.entry.points;
    const lines = [
      say('kind_' + data.entry.kind, {}, data.entry.kind) +
        ' ' +
        say('pointsValue', { points: signed }, signed + ' pts'),
      data.member.displayName + ' ' + data.member.membershipCode,
      say('posBalance', { points: data.balance }, 'Balance: ' + data.balance + ' pts'),
    ];
    if (data.order) {
      const vars = { refunded: data.order.refundedAmount, amount: data.order.amount };
      lines.push(say('posRefunded', vars, 'Refunded ' + vars.refunded + ' / ' + vars.amount));
    }
    show(lines.join('\n'), true);
    if (data.entry.kind !== 'reverse') newOrderId();
  }

  // Enter in a field submits the form: treat it as "earn points" instead of a page load.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    form.querySelector('button[data-action="accrue"]').click();
  });

  form.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    event.preventDefault();
    const f = form.elements;
    const orderId = f.orderId.value.trim();
    const action = button.dataset.action;
    if (action === 'accrue') {
      call('/api/pos/accrue', {
        code: f.code.value.trim(),
        amount: numberOrUndefined(f.amount.value),
        currency: form.dataset.currency,
        orderId,
      });
    } else if (action === 'redeem') {
      call('/api/pos/redeem', {
        code: f.code.value.trim(),
        points: numberOrUndefined(f.points.value),
        orderId,
      });
    } else if (action === 'reverse') {
      const amount = numberOrUndefined(f.refund.value);
      call('/api/pos/reverse', amount === undefined ? { orderId } : { orderId, amount });
    }
  });

  // Camera scanning: EAN-13 membership codes, and QR / Code 128 for the wallet's My Code.
  const scanButton = document.getElementById('scan');
  const video = document.getElementById('camera');
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  scanButton.hidden = false;
  let stream;
  async function stop() {
    if (stream) {
      for (const track of stream.getTracks()) track.stop();
    }
    stream = undefined;
    video.hidden = true;
    scanButton.textContent = scanButton.dataset.start;
  }
  scanButton.addEventListener('click', async (event) => {
    event.preventDefault();
    if (stream) return stop();
    const detector = new window.BarcodeDetector({
      formats: ['ean_13', 'ean_8', 'itf', 'code_128', 'qr_code'],
    });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    scanButton.textContent = scanButton.dataset.stop;
    const tick = async () => {
      if (!stream) return;
      const found = await detector.detect(video).catch(() => []);
      if (found.length > 0) {
        code.value = found[0].rawValue;
        await stop();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
})();
