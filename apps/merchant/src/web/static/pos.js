// The till page's script (served as a file: the CSP allows no inline script). It posts to the
// JSON POS API with the page's CSRF token, shows each result as a receipt in the banner at the top
// (announced to screen readers), and reads codes from a keyboard-wedge scanner or the camera.
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const form = document.getElementById('till');
  const f = form.elements;
  const result = document.getElementById('result');
  const code = document.getElementById('code');
  const amount = document.getElementById('amount');
  const currency = form.dataset.currency;
  const saleSelect = document.getElementById('refund-sale');
  const refundInput = document.getElementById('refund');

  // Texts in the page's language (rendered by the server into data-messages); English API text as
  // the fallback for a code the page does not know.
  const messages = JSON.parse(result.dataset.messages || '{}');
  function say(key, vars, fallback) {
    const text = messages[key];
    if (typeof text !== 'string') return fallback === undefined ? key : fallback;
    return text.replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? String(vars[name]) : m));
  }

  // A fresh id per sale and per refund: the POS API is idempotent by these ids, so a retried click
  // after a network error cannot earn or refund twice, and a new sale never reuses the last id.
  function newId(prefix) {
    const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36).toUpperCase();
    return `${prefix}${Date.now().toString(36).toUpperCase()}${random}`;
  }
  function newOrderId() {
    f.orderId.value = newId('T');
  }
  if (f.orderId.value === '') newOrderId();

  // The banner: a title, then the receipt's lines as a definition list, and an optional action.
  function show(ok, title, rows, action) {
    result.replaceChildren();
    result.className = `banner ${ok ? 'ok' : 'bad'}`;
    result.setAttribute('role', ok ? 'status' : 'alert');
    const heading = document.createElement('p');
    heading.className = 'banner-title';
    heading.textContent = title;
    result.append(heading);
    if (rows && rows.length > 0) {
      const list = document.createElement('dl');
      list.className = 'receipt';
      for (const [label, value, id] of rows) {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = value;
        if (id) dd.id = id;
        list.append(dt, dd);
      }
      result.append(list);
    }
    if (action) result.append(action);
    result.hidden = false;
    window.scrollTo({ top: 0 });
  }
  function showError(errorCode, fallback) {
    show(false, say(`pos_${errorCode}`, {}, fallback || say('pos_internal_error')));
    result.dataset.code = errorCode;
  }

  function digitsOnly(value) {
    return /^[0-9]+$/.test(value);
  }

  async function call(method, path, body) {
    let response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      showError('platform_unavailable');
      return undefined;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = data.error || { code: 'internal_error', message: `Error ${response.status}` };
      showError(error.code, error.message);
      return undefined;
    }
    return data;
  }

  function receipt(data) {
    const e = data.entry;
    const signed = (e.points >= 0 ? '+' : '') + e.points;
    const rows = [
      [say('posReceiptOrder'), e.orderId, 'receipt-order'],
      [say('posReceiptMember'), `${data.member.displayName} ${data.member.membershipCode}`, 'receipt-member'],
      [say('posReceiptPoints'), say('pointsValue', { points: signed }, `${signed} pts`), 'receipt-points'],
      [say('posReceiptBalance'), say('pointsValue', { points: data.balance }), 'receipt-balance'],
    ];
    if (data.refundId) rows.push([say('posReceiptRefund'), data.refundId, 'receipt-refund']);
    if (data.order) {
      rows.push([say('posReceiptLeft'), `${data.order.remainingAmount} / ${data.order.amount} ${currency}`]);
    }
    // A refund of a sale whose points were already used or expired takes back only what was left.
    if (data.pointsNotTakenBack > 0) {
      rows.push([
        say('posReceiptNotTakenBack'),
        say('pointsValue', { points: data.pointsNotTakenBack }, `${data.pointsNotTakenBack} pts`),
        'receipt-not-taken-back',
      ]);
    }
    let action;
    if (e.kind === 'accrue') {
      action = document.createElement('button');
      action.type = 'button';
      action.className = 'secondary';
      action.id = 'refund-this';
      action.textContent = say('posRefundThis');
      action.addEventListener('click', () => {
        saleSelect.value = e.orderId;
        refundInput.focus();
      });
    }
    show(true, say(`posDone_${e.kind}`, {}, e.kind), rows, action);
    result.dataset.code = 'ok';
  }

  // After a sale or a redemption the form is cleared and the next sale gets a new order id: Earn
  // pressed again has no code to credit, and the same order id never credits twice anyway.
  function clearSale() {
    f.code.value = '';
    f.amount.value = '';
    f.points.value = '';
    newOrderId();
    code.focus();
  }

  async function loadSales(select) {
    const data = await fetch('/api/pos/sales', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { sales: [] }))
      .catch(() => ({ sales: [] }));
    const keep = select ?? saleSelect.value;
    saleSelect.replaceChildren(saleSelect.options[0]);
    for (const sale of data.sales) {
      const option = document.createElement('option');
      option.value = sale.orderId;
      option.disabled = sale.remainingAmount <= 0;
      option.textContent = say('posSaleOption', {
        orderId: sale.orderId,
        amount: `${sale.amount} ${sale.currency || currency}`,
        remaining: sale.remainingAmount,
      });
      saleSelect.append(option);
    }
    saleSelect.value = keep;
  }

  function needCode() {
    if (f.code.value.trim() !== '') return false;
    show(false, say('posEnterCode'));
    result.dataset.code = 'code_missing';
    code.focus();
    return true;
  }
  function needDigits(input, key) {
    const value = input.value.trim();
    if (digitsOnly(value)) return false;
    show(false, say(key, { currency }));
    result.dataset.code = 'amount_invalid';
    input.focus();
    return true;
  }

  let busy = false;
  async function run(action) {
    if (busy) return;
    busy = true;
    try {
      if (action === 'accrue') {
        if (needCode() || needDigits(amount, 'posEnterAmount')) return;
        const data = await call('POST', '/api/pos/accrue', {
          code: f.code.value,
          amount: Number(amount.value.trim()),
          currency,
          orderId: f.orderId.value.trim(),
        });
        if (data) {
          receipt(data);
          clearSale();
          await loadSales(data.entry.orderId);
        }
      } else if (action === 'redeem') {
        if (needCode() || needDigits(f.points, 'pos_points_invalid')) return;
        const data = await call('POST', '/api/pos/redeem', {
          code: f.code.value,
          points: Number(f.points.value.trim()),
          orderId: f.orderId.value.trim(),
        });
        if (data) {
          receipt(data);
          clearSale();
        }
      } else if (action === 'refund') {
        if (saleSelect.value === '') {
          show(false, say('posPickSale'));
          result.dataset.code = 'sale_missing';
          saleSelect.focus();
          return;
        }
        const typed = refundInput.value.trim();
        if (typed !== '' && needDigits(refundInput, 'posEnterAmount')) return;
        const body = { orderId: saleSelect.value, refundId: newId('R') };
        if (typed !== '') body.amount = Number(typed);
        const data = await call('POST', '/api/pos/refund', body);
        if (data) {
          receipt(data);
          refundInput.value = '';
          await loadSales();
        }
      }
    } finally {
      busy = false;
    }
  }

  // A keyboard-wedge scanner types the code and then Enter: Enter in the code field moves to the
  // amount instead of submitting a sale without one. Enter in the amount submits the sale.
  code.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (f.code.value.trim() !== '') amount.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run('accrue');
  });
  form.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    event.preventDefault();
    run(button.dataset.action);
  });
  document.getElementById('refund-button').addEventListener('click', () => run('refund'));
  loadSales();

  // ---- Camera scanning -------------------------------------------------------------------------
  // The browser's BarcodeDetector where it exists and reads the formats we need; otherwise
  // zxing-wasm (ZXing-C++ compiled to WebAssembly, served by this site), which reads all nine
  // symbologies programs use (EAN-13, EAN-8, ITF, Code 128, Code 39, QR, PDF417, Data Matrix,
  // Aztec) and both forms of the wallet's My Code (Code 128 and QR).
  const NATIVE_FORMATS = [
    'ean_13',
    'ean_8',
    'itf',
    'code_128',
    'code_39',
    'qr_code',
    'pdf417',
    'data_matrix',
    'aztec',
  ];
  const ZXING_FORMATS = [
    'EAN13',
    'EAN8',
    'ITF',
    'Code128',
    'Code39',
    'QRCode',
    'PDF417',
    'DataMatrix',
    'Aztec',
  ];
  const scanButton = document.getElementById('scan');
  const cameraBox = document.getElementById('camera-box');
  const video = document.getElementById('camera');
  const torchButton = document.getElementById('torch');
  const switchButton = document.getElementById('switch-camera');
  let stream;
  let devices = [];
  let deviceIndex = -1;
  let detector;

  async function createDetector() {
    if ('BarcodeDetector' in window && window.BarcodeDetector.getSupportedFormats) {
      const supported = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
      const formats = NATIVE_FORMATS.filter((x) => supported.includes(x));
      if (formats.includes('ean_13') && formats.includes('qr_code') && formats.includes('code_128')) {
        const native = new window.BarcodeDetector({ formats });
        return { kind: 'native', detect: (source) => native.detect(source) };
      }
    }
    const zxing = window.ZXingWASM;
    if (!zxing) return undefined;
    zxing.prepareZXingModule({
      overrides: {
        locateFile: (path, prefix) => (path.endsWith('.wasm') ? '/static/zxing_reader.wasm' : prefix + path),
      },
    });
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    return {
      kind: 'zxing',
      async detect(source) {
        const width = source.videoWidth;
        const height = source.videoHeight;
        if (!width || !height) return [];
        canvas.width = width;
        canvas.height = height;
        context.drawImage(source, 0, 0, width, height);
        const found = await zxing.readBarcodes(context.getImageData(0, 0, width, height), {
          formats: ZXING_FORMATS,
          tryHarder: true,
          maxNumberOfSymbols: 1,
        });
        return found.filter((x) => x.isValid).map((x) => ({ rawValue: x.text, format: x.format }));
      },
    };
  }

  async function stop() {
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = undefined;
    cameraBox.hidden = true;
    torchButton.hidden = true;
    scanButton.textContent = scanButton.dataset.start;
    scanButton.setAttribute('aria-pressed', 'false');
  }

  async function open() {
    const deviceId = devices[deviceIndex]?.deviceId;
    const video0 = deviceId ? { deviceId: { exact: deviceId } } : { facingMode: 'environment' };
    stream = await navigator.mediaDevices.getUserMedia({ video: video0, audio: false });
    video.srcObject = stream;
    cameraBox.hidden = false;
    await video.play();
    scanButton.textContent = scanButton.dataset.stop;
    scanButton.setAttribute('aria-pressed', 'true');
    const [track] = stream.getVideoTracks();
    const capabilities = track?.getCapabilities ? track.getCapabilities() : {};
    torchButton.hidden = !capabilities.torch;
    torchButton.setAttribute('aria-pressed', 'false');
    devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    if (deviceIndex < 0 && track) {
      const current = track.getSettings().deviceId;
      deviceIndex = Math.max(
        0,
        devices.findIndex((d) => d.deviceId === current),
      );
    }
    switchButton.hidden = devices.length < 2;
  }

  async function tick() {
    if (!stream) return;
    const found = await detector.detect(video).catch(() => []);
    if (found.length > 0 && found[0].rawValue) {
      f.code.value = found[0].rawValue;
      await stop();
      show(true, say('posScanned'));
      result.dataset.code = 'scanned';
      amount.focus();
      return;
    }
    setTimeout(tick, 120);
  }

  scanButton.addEventListener('click', async (event) => {
    event.preventDefault();
    if (stream) return stop();
    if (!navigator.mediaDevices?.getUserMedia) {
      show(false, say('posCameraUnavailable'));
      result.dataset.code = 'camera_unavailable';
      return;
    }
    try {
      detector = detector || (await createDetector());
      if (!detector) throw Object.assign(new Error('no decoder'), { name: 'NotFoundError' });
      await open();
      scanButton.dataset.decoder = detector.kind;
      tick();
    } catch (err) {
      await stop();
      const denied = err && (err.name === 'NotAllowedError' || err.name === 'SecurityError');
      show(false, say(denied ? 'posCameraDenied' : 'posCameraUnavailable'));
      result.dataset.code = denied ? 'camera_denied' : 'camera_unavailable';
      code.focus();
    }
  });

  torchButton.addEventListener('click', async () => {
    const [track] = stream ? stream.getVideoTracks() : [];
    if (!track) return;
    const on = torchButton.getAttribute('aria-pressed') !== 'true';
    await track.applyConstraints({ advanced: [{ torch: on }] }).catch(() => {});
    torchButton.setAttribute('aria-pressed', String(on));
  });
  switchButton.addEventListener('click', async () => {
    if (devices.length < 2) return;
    deviceIndex = (deviceIndex + 1) % devices.length;
    if (stream) for (const track of stream.getTracks()) track.stop();
    try {
      await open();
      tick();
    } catch {
      await stop();
      show(false, say('posCameraUnavailable'));
    }
  });
})();
