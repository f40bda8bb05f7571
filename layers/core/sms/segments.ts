/**
 * How many SMS parts a body costs. Operators bill per part, and one character outside the GSM-7 alphabet
 * (a Polish "ę", a curly apostrophe, a no-break space from Intl) switches the whole message to UCS-2,
 * shrinking a part from 160 to 70 characters. Twilio's calculator is used instead of our own
 * arithmetic because it knows the escape characters, the 153/67 limits of concatenated parts and that
 * a part never splits a character.
 */
import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsMeasure {
  readonly segments: number;
  readonly encoding: SmsEncoding;
  /**
   * Length as the encoding counts it: GSM-7 septets (extension characters such as € or [ take two), or
   * UCS-2 characters. This, not `body.length`, is what the part limits apply to.
   */
  readonly characters: number;
}

export const measureSms = (body: string): SmsMeasure => {
  // 'auto' encoding and no "smart encoding": SNS sends the text as given, without swapping characters.
  const message = new SegmentedMessage(body);
  return {
    segments: message.segmentsCount,
    encoding: message.encodingName,
    characters: message.numberOfCharacters,
  };
};
