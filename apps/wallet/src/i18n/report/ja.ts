import type { ReportMessageKey } from './en.js';

/** 日本語（一時停止中のカードと通報）. */
export const reportJa: Record<ReportMessageKey, string> = {
  'card.pausedBadge': '一時停止中',
  'card.pausedTitle': 'このカードは一時停止中です',
  'card.pausedBody':
    'My Card が {name} を一時停止しているため、レジでコードを使えません。操作は不要です。プログラムが再開されると、ここで再び使えるようになります。',
  'report.open': 'このカードを通報',
  'report.openProgram': 'このプログラムを通報',
  'report.title': '{name} を通報',
  'report.lead': '問題の内容を My Card チームに伝えてください。通報者がお店に知らされることはありません。',
  'report.reason': '何が問題ですか？',
  'report.reason.impersonation': '他のお店になりすましている',
  'report.reason.scam': '詐欺のように見える',
  'report.reason.inappropriate': '不適切な内容がある',
  'report.reason.broken': '正しく動かない',
  'report.reason.other': 'その他',
  'report.text': '詳しい内容',
  'report.textHint': '任意。1000 文字まで。',
  'report.send': '通報する',
  'report.sending': '送信中…',
  'report.needReason': '問題の種類を選んでください。',
  'report.sent': 'ありがとうございます。通報を My Card チームに送りました。',
  'report.rateLimited': '現在送れる通報の上限に達しました。次に送れるのは {when} です。',
};
