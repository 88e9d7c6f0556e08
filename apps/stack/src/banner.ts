import type { RunningStack } from './start-stack.js';

/** What `npm start` prints once both servers listen: where to open each part and the demo logins. */
export function formatBanner(stack: RunningStack): string {
  const { config, ctx } = stack.platform.platform;
  const base = config.publicUrl;
  const { merchant, consoleLogin, adminLogin } = stack;
  const shop = merchant.config.publicUrl;
  return [
    '',
    `My Card is up (${config.mode} mode, ${config.identity} identity, ${ctx.dialect})`,
    '',
    '  Platform',
    `    wallet          ${base}/wallet/`,
    `    console         ${base}/console/`,
    `    API docs        ${base}/docs`,
    `    health          ${base}/readyz`,
    '',
    `  ${merchant.config.brand.name} (reference merchant, channel ${stack.credentials.channelId})`,
    `    member site     ${shop}/`,
    `    binding page    ${shop}/mycard/bind`,
    `    POS             ${shop}/pos`,
    ...(stack.group
      ? [
          '',
          `  Demo Group (one card at ${stack.group.stores.map((s) => s.name).join(' and ')}, channel ${stack.group.channelId})`,
          `    member site     ${stack.group.merchant.config.publicUrl}/`,
          `    POS             ${stack.group.merchant.config.publicUrl}/pos (choose the store at sign-in)`,
          ...(stack.group.merchant.demo
            ? [
                `    member          ${stack.group.merchant.demo.member.login} / ${stack.group.merchant.demo.member.password}`,
                `    POS operator    ${stack.group.merchant.demo.operator.username} / ${stack.group.merchant.demo.operator.password}`,
              ]
            : []),
        ]
      : []),
    '',
    ...(stack.secondShop
      ? [
          `  ${stack.secondShop.merchant.config.brand.name} (second demo shop, channel ${stack.secondShop.credentials.channelId})`,
          `    member site     ${stack.secondShop.merchant.config.publicUrl}/`,
          `    POS             ${stack.secondShop.merchant.config.publicUrl}/pos`,
          '',
        ]
      : []),
    ...(stack.bundleUrl
      ? ['  Campaign bundle (the demo shops in one go)', `    wallet link     ${stack.bundleUrl}`, '']
      : []),
    ...(merchant.demo || consoleLogin ? ['  Demo logins'] : []),
    ...(consoleLogin ? [`    console         ${consoleLogin.email} / ${consoleLogin.password}`] : []),
    ...(adminLogin ? [`    platform admin  ${adminLogin.email} / ${adminLogin.password}`] : []),
    ...(merchant.demo
      ? [
          `    member          ${merchant.demo.member.login} / ${merchant.demo.member.password}`,
          `    POS operator    ${merchant.demo.operator.username} / ${merchant.demo.operator.password}`,
          '    wallet          sign in as any demo user (dev identity)',
        ]
      : []),
    ...(stack.logDir
      ? [
          '',
          `  Logs            ${stack.logDir}/ (platform.log, merchant.log)`,
          '    warnings and errors also show here',
        ]
      : []),
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
