/**
 * English messages of paused cards and "report this card" (issue 14), merged into the wallet's
 * catalogue (src/i18n/en.ts). Other languages have exactly these keys.
 */
export const reportEn = {
  'card.pausedBadge': 'Paused',
  'card.pausedTitle': 'This card is paused',
  'card.pausedBody':
    'My Card has paused {name} for now, so its code can’t be used at the till. You don’t need to do anything: if the program comes back, the card works again here.',
  'report.open': 'Report this card',
  'report.openProgram': 'Report this program',
  'report.title': 'Report {name}',
  'report.lead': 'Tell the My Card team what is wrong. The shop is not told who reported it.',
  'report.reason': 'What is wrong?',
  'report.reason.impersonation': 'It pretends to be another shop',
  'report.reason.scam': 'It looks like a scam',
  'report.reason.inappropriate': 'It shows something inappropriate',
  'report.reason.broken': 'It doesn’t work',
  'report.reason.other': 'Something else',
  'report.text': 'More details',
  'report.textHint': 'Optional. Up to 1000 characters.',
  'report.send': 'Send report',
  'report.sending': 'Sending…',
  'report.needReason': 'Choose what is wrong.',
  'report.sent': 'Thank you. Your report was sent to the My Card team.',
  'report.rateLimited': 'You have sent as many reports as you can for now. You can send another {when}.',
} as const;

export type ReportMessageKey = keyof typeof reportEn;
