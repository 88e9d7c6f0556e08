import type { ReportMessageKey } from './en.js';

/** 繁體中文（暫停的卡片與檢舉）. */
export const reportZhTW: Record<ReportMessageKey, string> = {
  'card.pausedBadge': '已暫停',
  'card.pausedTitle': '這張卡片已暫停',
  'card.pausedBody':
    'My Card 目前暫停了 {name}，所以無法在櫃檯使用這張卡的條碼。你不需要做任何事：方案恢復後，卡片會在這裡重新可用。',
  'report.open': '檢舉這張卡片',
  'report.openProgram': '檢舉這個方案',
  'report.title': '檢舉 {name}',
  'report.lead': '告訴 My Card 團隊哪裡有問題。商店不會知道是誰檢舉的。',
  'report.reason': '有什麼問題？',
  'report.reason.impersonation': '冒充其他商店',
  'report.reason.scam': '看起來像詐騙',
  'report.reason.inappropriate': '內容不當',
  'report.reason.broken': '無法正常使用',
  'report.reason.other': '其他',
  'report.text': '更多說明',
  'report.textHint': '選填，最多 1000 字。',
  'report.send': '送出檢舉',
  'report.sending': '送出中…',
  'report.needReason': '請選擇問題類型。',
  'report.sent': '謝謝你，檢舉已送給 My Card 團隊。',
  'report.rateLimited': '你目前已達可送出的檢舉上限，{when}可以再送出。',
};
