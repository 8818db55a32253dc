"""Crisis and emergency messages written in Spanish, answered in Spanish (see `safety.py`).

The patterns hold Spanish words only, so that an English message never gets a Spanish reply;
they are matched on the message without accents ("daño" as "dano"). The lines are the US ones,
which answer in Spanish: 988 (press 2, or text AYUDA), 911, and the National Domestic Violence
Hotline.
"""

import re
import unicodedata

from cora.assistant.faq.safety import CrisisCheck, SafetyKind

_PARTNER = r"(?:esposo|esposa|marido|mujer|novio|novia|pareja|ex|padre|papa|madre|mama)"
_SELF_HARM = (
    r"suicid(?:arme|io|ar\w*)|matarme|quitarme la vida|(?:me )?quiero morir\w*"
    r"|no quiero (?:vivir|seguir viviendo|estar vivo|estar viva|despertar)"
    r"|acabar con (?:mi vida|todo)|hacerme dano|lastimarme|cortarme"
    r"|(?:estarian|estaria|estan) mejor sin mi|mejor muert[oa]"
)
_ABUSE = (
    r"violencia (?:domestica|familiar)|maltrat\w*|abus(?:o|a|an|aba|ador|ando)\b"
    rf"|mi {_PARTNER} me (?:pega|golpea|golpeo|pego|lastima|amenaza|ahorca)"
    rf"|(?:tengo )?miedo (?:de|a) mi {_PARTNER}|no estoy a salvo en (?:mi )?casa"
    r"|me violo|violacion|agresion sexual|me acosa|acoso"
)
_MEDICAL = (
    r"dolor (?:de|en el) pecho|me duele (?:mucho )?el pecho"
    r"|(?:esta teniendo|le esta dando|me esta dando) (?:un )?(?:infarto|ataque al corazon"
    r"|derrame|convulsiones)|no (?:puedo|puede) respirar|no respira|le cuesta respirar"
    r"|inconsciente|no (?:despierta|reacciona)|se desmayo|esta convulsionando|sobredosis"
    r"|sangra(?:ndo)? mucho|reaccion alergica (?:grave|fuerte)|se esta ahogando"
)
_DANGER = (
    r"hay (?:un )?(?:incendio|fuego)|se esta quemando|en llamas|(?:huele|olor) a (?:gas|humo)"
    r"|fuga de gas|monoxido de carbono|cables? (?:electricos? )?(?:caidos?|en el suelo)"
    r"|me (?:quiere|va a|van a) (?:matar|hacer dano|disparar)|me amenaz(?:a|o|an) con"
    r"|tiene (?:un arma|una pistola|una navaja|un cuchillo)|me esta siguiendo"
    r"|(?:alguien|un hombre) (?:esta )?(?:entrando|metiendose|dentro) (?:en|de) (?:mi|la) casa"
    r"|atrapad[oa]s?|el agua (?:esta )?subiendo"
)
_KINDS: tuple[tuple[SafetyKind, str], ...] = (
    ("self_harm", _SELF_HARM),
    ("abuse", _ABUSE),
    ("medical", _MEDICAL),
    ("danger", _DANGER),
)

_PERSON = (
    "Cuando esté a salvo, una persona de nuestro equipo puede ayudarle con su póliza o su "
    "reclamo: {contact}."
)
REPLIES: dict[SafetyKind, str] = {
    "self_harm": (
        "Siento mucho que esté pasando por esto, y me alegra que lo haya dicho. No está solo.\n\n"
        "- Llame al **988** y marque 2, o envíe AYUDA por mensaje de texto al 988 (Línea de "
        "Prevención del Suicidio y Crisis). Es gratis, confidencial y atiende 24 horas.\n"
        "- Si está en peligro inmediato, llame al **911** ahora.\n\n"
        "Las preguntas sobre su póliza pueden esperar. " + _PERSON
    ),
    "abuse": (
        "Siento que le esté pasando esto. Su seguridad es lo primero.\n\n"
        "- Si está en peligro ahora, llame al **911**.\n"
        "- La Línea Nacional contra la Violencia Doméstica atiende en español, gratis y 24 "
        "horas: **1-800-799-7233**.\n\n"
        "Una persona de nuestro equipo puede tratar su póliza o su reclamo de forma "
        "confidencial, por ejemplo cambiando adónde llegan el correo y los mensajes. " + _PERSON
    ),
    "medical": (
        "Esto puede ser una emergencia médica. **Llame al 911 ahora** o vaya a la sala de "
        "emergencias más cercana. No espere a revisar su cobertura.\n\n" + _PERSON
    ),
    "danger": (
        "Si alguien está herido o en peligro, **llame al 911 ahora**.\n\n"
        "- Póngase a salvo primero: salga del edificio si hay fuego, humo, olor a gas o una "
        "alarma de monóxido de carbono, y llame desde afuera.\n"
        "- Aléjese del agua cerca de la electricidad y de los cables caídos.\n\n"
        "Su reclamo puede esperar; reportarlo más tarde está bien. " + _PERSON
    ),
}


def _without_accents(message: str) -> str:
    decomposed = unicodedata.normalize("NFKD", message.lower())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", letters))


SPANISH = CrisisCheck(_KINDS, REPLIES, _without_accents)
