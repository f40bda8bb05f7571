/**
 * Everything the contact flows say, per language, in one typed place: a translation is one more entry
 * of {@link FLOW_PROMPTS}, and the compiler lists every sentence it still lacks.
 *
 * The texts are read by Amazon Polly (text-to-speech), so they are written to be heard: short sentences,
 * digits said as words where Polly would stumble, no abbreviations. Callers are addressed with the
 * informal "ty", as the shop's SMS templates do.
 */

/** Languages the flows can speak (BCP 47, as Polly names them). */
export const FLOW_LANGUAGES = ['pl-PL', 'en-GB'] as const;
export type FlowLanguage = (typeof FLOW_LANGUAGES)[number];

/** The Polly voice a language is spoken with ("Set voice"; Connect's default is the US voice Joanna). */
export interface FlowVoice {
  readonly voice: string;
  readonly engine: 'Neural' | 'Standard';
}

/** What option 3 of the deflection menu offers, when it is offered. */
export interface SmsOffer {
  /** The SMS carries a bonus code (`overflow.bonusCode`), so the menu and the goodbye mention it. */
  readonly withBonusCode: boolean;
}

export interface FlowPrompts {
  readonly voice: FlowVoice;
  // Inbound flow
  readonly greeting: (shopName?: string) => string;
  /** The DEFLECT menu; option 3 only with an SMS offer. */
  readonly deflectionMenu: (sms?: SmsOffer) => string;
  /** Said before the menu again when nothing was pressed in time. */
  readonly noChoiceHeard: string;
  /** Said before the menu again when a key that is not an option was pressed. */
  readonly choiceNotOffered: string;
  readonly keepWaiting: string;
  readonly callbackConfirmed: string;
  /** The caller's number cannot be called back (withheld, not dialable) or the callback failed. */
  readonly callbackUnavailable: string;
  readonly smsSent: (sms: SmsOffer) => string;
  readonly smsFailed: string;
  /**
   * The tracking link of the order status (option 1) could not be sent and the function gave no words of
   * its own (an error or a timeout); said in the flow's voice before the caller goes on to routing.
   */
  readonly trackingLinkFailed: string;
  readonly technicalProblem: string;
  readonly allLinesBusy: string;
  // Customer queue flow: the estimated wait, in bands (a number of seconds read aloud helps nobody)
  readonly waitUnderAMinute: string;
  readonly waitAFewMinutes: string;
  readonly waitUpToTenMinutes: string;
  readonly waitOverTenMinutes: string;
  /** When Connect has no estimate. */
  readonly thanksForWaiting: string;
  /** Looped between the announcements when there is no hold music; SSML, with pauses. */
  readonly holdMessage: string;
}

/** Polly's longest pause in SSML is ten seconds; a few of them keep the line quiet between messages. */
const pause = '<break time="10s"/>'.repeat(4);

export const FLOW_PROMPTS: Readonly<Record<FlowLanguage, FlowPrompts>> = {
  'pl-PL': {
    // Ola is Polly's neural Polish voice (Ewa, Maja, Jacek and Jan are the standard ones).
    voice: { voice: 'Ola', engine: 'Neural' },
    greeting: (shop) =>
      shop === undefined
        ? 'Dzień dobry, dziękujemy za telefon.'
        : `Dzień dobry, tu ${shop}. Dziękujemy za telefon.`,
    deflectionMenu: (sms) =>
      [
        'Wszyscy nasi konsultanci są teraz zajęci i czas oczekiwania jest dłuższy niż zwykle.',
        'Aby poczekać na rozmowę z konsultantem, naciśnij 1.',
        'Aby konsultant oddzwonił na ten numer, gdy tylko będzie wolny, naciśnij 2.',
        ...(sms === undefined
          ? []
          : [
              `Aby dostać SMS-a z linkiem do formularza zgłoszenia na naszej stronie${
                sms.withBonusCode ? ' i z kodem rabatowym w podziękowaniu' : ''
              }, naciśnij 3.`,
            ]),
      ].join(' '),
    noChoiceHeard: 'Nie usłyszeliśmy wyboru.',
    choiceNotOffered: 'Nie ma takiej opcji.',
    keepWaiting: 'Pozostajesz w kolejce. Połączymy cię z pierwszym wolnym konsultantem.',
    callbackConfirmed:
      'Dziękujemy. Oddzwonimy na numer, z którego dzwonisz, gdy tylko zwolni się konsultant. Możesz się już rozłączyć. Do usłyszenia!',
    callbackUnavailable:
      'Przepraszamy, nie możemy oddzwonić na ten numer, na przykład dlatego, że jest zastrzeżony. Pozostajesz w kolejce.',
    smsSent: (sms) =>
      `Wysłaliśmy SMS-a z linkiem do formularza${sms.withBonusCode ? ' i kodem rabatowym' : ''}. Dziękujemy i do usłyszenia!`,
    smsFailed: 'Przepraszamy, nie udało się wysłać SMS-a. Pozostajesz w kolejce.',
    trackingLinkFailed:
      'Przepraszamy, nie udało się wysłać SMS-a z linkiem do śledzenia przesyłki. Pozostań, proszę, na linii.',
    technicalProblem: 'Przepraszamy, wystąpił problem techniczny. Zadzwoń, proszę, ponownie za kilka minut.',
    allLinesBusy:
      'Przepraszamy, wszystkie linie są teraz zajęte. Zadzwoń, proszę, później albo napisz do nas przez naszą stronę.',
    waitUnderAMinute: 'Szacowany czas oczekiwania to mniej niż minuta.',
    waitAFewMinutes: 'Szacowany czas oczekiwania to kilka minut.',
    waitUpToTenMinutes: 'Szacowany czas oczekiwania to do dziesięciu minut.',
    waitOverTenMinutes: 'Szacowany czas oczekiwania to ponad dziesięć minut. Dziękujemy za cierpliwość.',
    thanksForWaiting: 'Dziękujemy za cierpliwość. Konsultant odbierze najszybciej, jak to możliwe.',
    holdMessage: `<speak>Dziękujemy za oczekiwanie. Pozostań, proszę, na linii.${pause}</speak>`,
  },
  'en-GB': {
    voice: { voice: 'Amy', engine: 'Neural' },
    greeting: (shop) =>
      shop === undefined
        ? 'Hello, and thank you for calling.'
        : `Hello, this is ${shop}. Thank you for calling.`,
    deflectionMenu: (sms) =>
      [
        'All our advisers are busy right now, and the wait is longer than usual.',
        'To wait for an adviser, press 1.',
        'To have an adviser call you back on this number as soon as one is free, press 2.',
        ...(sms === undefined
          ? []
          : [
              `To get a text message with a link to leave a request on our website${
                sms.withBonusCode ? ', and a discount code to thank you' : ''
              }, press 3.`,
            ]),
      ].join(' '),
    noChoiceHeard: 'We did not hear a choice.',
    choiceNotOffered: 'That is not one of the options.',
    keepWaiting: 'You are staying in the queue. We will put you through to the first free adviser.',
    callbackConfirmed:
      'Thank you. We will call you back on the number you are calling from as soon as an adviser is free. You can hang up now. Goodbye!',
    callbackUnavailable:
      'Sorry, we cannot call this number back, for example because it is withheld. You are staying in the queue.',
    smsSent: (sms) =>
      `We have sent you a text message with the link${sms.withBonusCode ? ' and a discount code' : ''}. Thank you, and goodbye!`,
    smsFailed: 'Sorry, we could not send the text message. You are staying in the queue.',
    trackingLinkFailed:
      'Sorry, we could not send the text message with the tracking link. Please stay on the line.',
    technicalProblem: 'Sorry, we have a technical problem. Please call again in a few minutes.',
    allLinesBusy:
      'Sorry, all our lines are busy. Please call again later, or write to us through our website.',
    waitUnderAMinute: 'The estimated wait is less than a minute.',
    waitAFewMinutes: 'The estimated wait is a few minutes.',
    waitUpToTenMinutes: 'The estimated wait is up to ten minutes.',
    waitOverTenMinutes: 'The estimated wait is more than ten minutes. Thank you for your patience.',
    thanksForWaiting: 'Thank you for your patience. An adviser will answer as soon as possible.',
    holdMessage: `<speak>Thank you for waiting. Please stay on the line.${pause}</speak>`,
  },
};
