import { describe, expect, it } from 'vitest';
import {
  COGNITO_DEFAULT_MESSAGES,
  confirmationLinkUrl,
  htmlToText,
  renderCustom,
  renderForgotPassword,
  renderInvitation,
  renderMfaCode,
  renderVerificationMessage,
  type TemplatePool,
} from '../src/domain/messaging/templates.js';
import { codeDeliveryDetails, maskDestination } from '../src/domain/messaging/masking.js';

const plainPool: TemplatePool = { settings: { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' } } };
const link = { url: confirmationLinkUrl('https://id.example.com/', { clientId: 'abc', username: 'jane', code: '123456' }) };

describe('Cognito default messages', () => {
  it('sign-up and attribute verification', () => {
    expect(renderVerificationMessage(plainPool, 'EMAIL', '123456')).toEqual({
      medium: 'EMAIL',
      subject: 'Your verification code',
      html: 'Your verification code is 123456. ',
      body: 'Your verification code is 123456.',
    });
    expect(renderVerificationMessage(plainPool, 'SMS', '123456')).toEqual({ medium: 'SMS', body: 'Your verification code is 123456. ' });
    // A pool created without any template at all behaves the same.
    expect(renderVerificationMessage({ settings: {} }, 'EMAIL', '1').subject).toBe('Your verification code');
  });

  it('forgot password', () => {
    expect(renderForgotPassword(plainPool, 'EMAIL', '039126')).toMatchObject({
      subject: 'Your verification code',
      body: 'Your password reset code is 039126',
    });
    expect(renderForgotPassword(plainPool, 'SMS', '039126').body).toBe('Your password reset code is 039126');
  });

  it('admin invitation with the temporary password', () => {
    expect(renderInvitation(plainPool, 'EMAIL', 'jane', 'Tmp#Pass1')).toMatchObject({
      subject: 'Your temporary password',
      body: 'Your username is jane and temporary password is Tmp#Pass1.',
      html: 'Your username is jane and temporary password is Tmp#Pass1. ',
    });
    expect(renderInvitation(plainPool, 'SMS', 'jane', 'Tmp#Pass1').body).toBe('Your username is jane and temporary password is Tmp#Pass1. ');
  });

  it('MFA codes', () => {
    expect(renderMfaCode(plainPool, 'SMS', '654321').body).toBe('Your authentication code is 654321. ');
    expect(renderMfaCode(plainPool, 'EMAIL', '654321')).toMatchObject({
      subject: 'Your authentication code',
      body: 'Your authentication code is 654321.',
    });
  });

  it('keeps every default text with its placeholder', () => {
    for (const group of Object.values(COGNITO_DEFAULT_MESSAGES)) {
      for (const [name, text] of Object.entries(group)) {
        if (!/Subject/.test(name)) expect(text, name).toMatch(/\{####\}|\{##.+##\}/);
      }
    }
  });
});

describe('pool templates', () => {
  const custom: TemplatePool = {
    settings: {
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_LINK',
        EmailSubject: 'Welcome aboard',
        EmailMessage: 'Hello,<br>your code is <b>{####}</b>.',
        SmsMessage: 'Code: {####}',
        EmailSubjectByLink: 'Confirm your account',
        EmailMessageByLink: '<p>Nearly there.</p><p>{##Click here##} to confirm.</p>',
      },
      AdminCreateUserConfig: {
        InviteMessageTemplate: {
          EmailSubject: 'You are invited',
          EmailMessage: 'Sign in as <i>{username}</i> with {####}',
          SMSMessage: 'User {username}, password {####}',
        },
      },
      SmsAuthenticationMessage: 'MFA {####}',
      MfaSettings: { EmailMfaConfiguration: { Subject: 'Sign-in code', Message: 'Use {####} to sign in' } },
    },
  };

  it('uses the code template as HTML, with a text alternative', () => {
    expect(renderVerificationMessage(custom, 'EMAIL', '123456')).toEqual({
      medium: 'EMAIL',
      subject: 'Welcome aboard',
      html: 'Hello,<br>your code is <b>123456</b>.',
      body: 'Hello,\nyour code is 123456.',
    });
    expect(renderVerificationMessage(custom, 'SMS', '123456').body).toBe('Code: 123456');
  });

  it('uses the link template for sign-up email when the pool says CONFIRM_WITH_LINK', () => {
    const message = renderVerificationMessage(custom, 'EMAIL', '123456', { link });
    expect(message.subject).toBe('Confirm your account');
    expect(message.html).toBe(
      '<p>Nearly there.</p><p><a href="https://id.example.com/confirmUser?client_id=abc&amp;user_name=jane&amp;confirmation_code=123456">Click here</a> to confirm.</p>',
    );
    expect(message.body).toBe(
      'Nearly there.\nClick here (https://id.example.com/confirmUser?client_id=abc&user_name=jane&confirmation_code=123456) to confirm.',
    );
    // SMS has no link style.
    expect(renderVerificationMessage(custom, 'SMS', '123456', { link }).body).toBe('Code: 123456');
  });

  it("uses Cognito's default link template when the pool has none", () => {
    const pool: TemplatePool = { settings: { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' } } };
    const message = renderVerificationMessage(pool, 'EMAIL', '123456', { link });
    expect(message.subject).toBe('Your verification link');
    expect(message.body).toBe(`Please click the link below to verify your email address. Verify Email (${link.url})`);
  });

  it('falls back to the code template without a link or without CONFIRM_WITH_LINK', () => {
    expect(renderVerificationMessage(custom, 'EMAIL', '123456').subject).toBe('Welcome aboard');
    expect(renderVerificationMessage(plainPool, 'EMAIL', '123456', { link }).body).toBe('Your verification code is 123456.');
  });

  it('reads the legacy top-level verification members', () => {
    const legacy: TemplatePool = {
      settings: { EmailVerificationSubject: 'Legacy subject', EmailVerificationMessage: 'Legacy {####}', SmsVerificationMessage: 'SMS {####}' },
    };
    expect(renderVerificationMessage(legacy, 'EMAIL', '42')).toMatchObject({ subject: 'Legacy subject', body: 'Legacy 42' });
    expect(renderVerificationMessage(legacy, 'SMS', '42').body).toBe('SMS 42');
  });

  it('sends password resets with the customised code template', () => {
    expect(renderForgotPassword(custom, 'EMAIL', '777777')).toMatchObject({ subject: 'Welcome aboard', body: 'Hello,\nyour code is 777777.' });
    expect(renderForgotPassword(custom, 'SMS', '777777').body).toBe('Code: 777777');
  });

  it('renders invitations and escapes the username in HTML only', () => {
    const email = renderInvitation(custom, 'EMAIL', 'a<b>&"c', 'P@ss{word}1');
    expect(email.subject).toBe('You are invited');
    expect(email.html).toBe('Sign in as <i>a&lt;b&gt;&amp;&quot;c</i> with P@ss{word}1');
    expect(email.body).toBe('Sign in as a<b>&"c with P@ss{word}1');
    expect(renderInvitation(custom, 'SMS', 'a<b', 'pw').body).toBe('User a<b, password pw');
  });

  it('never substitutes inside a substituted value', () => {
    expect(renderInvitation(plainPool, 'SMS', '{####}', 'secret').body).toBe(
      'Your username is {####} and temporary password is secret. ',
    );
  });

  it('renders MFA codes from the pool', () => {
    expect(renderMfaCode(custom, 'SMS', '1').body).toBe('MFA 1');
    expect(renderMfaCode(custom, 'EMAIL', '1')).toMatchObject({ subject: 'Sign-in code', body: 'Use 1 to sign in' });
  });

  it('renders CustomMessage trigger output with the same placeholders', () => {
    const email = renderCustom('EMAIL', { subject: 'Reset', message: '<a href="https://app.example/reset?code={####}&u={username}">Reset</a>' }, {
      code: '123456',
      username: 'jane doe',
    });
    expect(email.html).toBe('<a href="https://app.example/reset?code=123456&u=jane doe">Reset</a>');
    expect(email.body).toBe('Reset (https://app.example/reset?code=123456&u=jane doe)');
    expect(renderCustom('SMS', { message: 'Code {####}' }, { code: '9' })).toEqual({ medium: 'SMS', body: 'Code 9' });
  });
});

describe('htmlToText', () => {
  it('decodes entities, drops style and keeps line structure', () => {
    expect(htmlToText('<style>p{color:red}</style><h1>Hi&nbsp;there</h1><p>a &lt; b &amp;&#38; c&#x21;</p>\n\n\n\nend')).toBe(
      'Hi there\na < b && c!\n\nend',
    );
    expect(htmlToText('<a href="https://x.example/">https://x.example/</a>')).toBe('https://x.example/');
  });
});

describe('confirmationLinkUrl', () => {
  it("builds Cognito's confirmUser link with encoded parameters", () => {
    expect(confirmationLinkUrl('https://auth.example.com', { clientId: 'c1', username: 'j+ne@x.com', code: '12 34' })).toBe(
      'https://auth.example.com/confirmUser?client_id=c1&user_name=j%2Bne%40x.com&confirmation_code=12+34',
    );
  });
});

describe('maskDestination', () => {
  it.each([
    ['jane.doe@example.com', 'j***@e***'],
    ['J@E.CO', 'J***@E***'],
    ['first@sub.domain.example', 'f***@s***'],
    ['😀x@ünïcode.example', '😀***@ü***'],
    ['not-an-email', '***'],
    ['@example.com', '***'],
    ['someone@', '***'],
  ])('email %s → %s', (value, masked) => {
    expect(maskDestination('EMAIL', value)).toBe(masked);
  });

  it.each([
    ['+15555550100', '+*******0100'],
    ['+447700900123', '+********0123'],
    ['+1234', '+****'],
    ['5555550100', '******0100'],
  ])('phone %s → %s', (value, masked) => {
    expect(maskDestination('SMS', value)).toBe(masked);
  });

  it('builds CodeDeliveryDetails', () => {
    expect(codeDeliveryDetails('EMAIL', 'jane@example.com', 'email')).toEqual({
      Destination: 'j***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
  });
});
