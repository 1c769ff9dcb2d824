#include "server/domain/worker_avenues.hpp"

#include <algorithm>

namespace grievance::domain {
namespace {

using K = AvenueKind;

constexpr Avenue kBD[] = {
    {K::kInspectorate,
     "Department of Inspection for Factories and Establishments (DIFE), helpline 16357",
     "https://dife.gov.bd"},
    {K::kLegalAid, "National Legal Aid Services Organisation (NLASO), hotline 16430",
     "https://nlaso.gov.bd"},
    {K::kLegalAid, "Bangladesh Legal Aid and Services Trust (BLAST)", "https://www.blast.org.bd"},
    {K::kHumanRights, "National Human Rights Commission, Bangladesh", "https://nhrc.org.bd"},
};
constexpr Avenue kBE[] = {
    {K::kNcp,
     "Belgisch Nationaal Contactpunt / Point de contact national belge (FOD Economie / SPF "
     "Économie)",
     "https://economie.fgov.be"},
    {K::kInspectorate,
     "Toezicht op de Sociale Wetten / Contrôle des lois sociales (FOD WASO / SPF Emploi)",
     "https://werk.belgie.be"},
    {K::kLegalAid,
     "Juridische eerstelijnsbijstand / Aide juridique de première ligne (justitiehuizen, maisons "
     "de justice)",
     ""},
    {K::kUnion, "ABVV-FGTB, ACV-CSC, ACLVB-CGSLB", ""},
    {K::kHumanRights, "Unia (discriminatie / discrimination)", "https://www.unia.be"},
};
constexpr Avenue kCI[] = {
    {K::kInspectorate,
     "Inspection du travail et des lois sociales (directions régionales du ministère chargé du "
     "Travail)",
     ""},
    {K::kLegalAid, "Assistance judiciaire (bureaux auprès des tribunaux)", ""},
    {K::kUnion, "Centrales syndicales : UGTCI, CISL-Dignité, FESACI", ""},
    {K::kHumanRights, "Conseil national des droits de l'homme (CNDH)", "https://www.cndh.ci"},
};
constexpr Avenue kCM[] = {
    {K::kInspectorate,
     "Inspection du travail, ministère du Travail et de la Sécurité sociale (MINTSS)",
     "https://www.mintss.gov.cm"},
    {K::kLegalAid, "Assistance judiciaire (commissions auprès des juridictions)", ""},
    {K::kHumanRights, "Commission des droits de l'homme du Cameroun (CDHC)", ""},
};
constexpr Avenue kDE[] = {
    {K::kNcp, "Nationale Kontaktstelle für die OECD-Leitsätze (NKS), Bundeswirtschaftsministerium",
     ""},
    {K::kOther, "BAFA: Beschwerde nach dem Lieferkettensorgfaltspflichtengesetz (LkSG)",
     "https://www.bafa.de"},
    {K::kInspectorate,
     "Arbeitsschutzbehörden der Länder; Finanzkontrolle Schwarzarbeit des Zolls (Mindestlohn)",
     "https://www.zoll.de"},
    {K::kLegalAid, "Beratungshilfe (Amtsgericht); Faire Mobilität (Beratung in vielen Sprachen)",
     "https://www.faire-mobilitaet.de"},
    {K::kUnion, "DGB-Gewerkschaften (IG Metall, ver.di, IG BAU, NGG)", "https://www.dgb.de"},
};
constexpr Avenue kFR[] = {
    {K::kNcp,
     "Point de contact national (PCN) français pour la conduite responsable des entreprises",
     "https://pcn-france.tresor.economie.gouv.fr"},
    {K::kInspectorate, "Inspection du travail (DREETS, DDETS)", "https://travail-emploi.gouv.fr"},
    {K::kLegalAid, "Point-justice, accès au droit gratuit : 3039", "https://www.justice.fr"},
    {K::kUnion, "CGT, CFDT, FO, CFE-CGC, CFTC", ""},
    {K::kHumanRights, "Défenseur des droits (discriminations)",
     "https://www.defenseurdesdroits.fr"},
};
constexpr Avenue kGB[] = {
    {K::kNcp, "UK National Contact Point for the OECD Guidelines",
     "https://www.gov.uk/government/organisations/uk-national-contact-point"},
    {K::kInspectorate,
     "Health and Safety Executive (HSE); HMRC National Minimum Wage enforcement; Gangmasters and "
     "Labour Abuse Authority (GLAA)",
     "https://www.gov.uk/pay-and-work-rights"},
    {K::kLegalAid, "Acas helpline 0300 123 1100; Citizens Advice", "https://www.acas.org.uk"},
    {K::kUnion, "Trades Union Congress (TUC) and its unions", "https://www.tuc.org.uk"},
    {K::kOther, "Modern Slavery & Exploitation Helpline 08000 121 700",
     "https://www.modernslaveryhelpline.org"},
};
constexpr Avenue kGH[] = {
    {K::kInspectorate, "Labour Department (ministry responsible for labour)", ""},
    {K::kOther, "National Labour Commission (labour disputes)", ""},
    {K::kLegalAid, "Legal Aid Commission", ""},
    {K::kUnion, "Ghana Trades Union Congress (TUC)", ""},
    {K::kHumanRights, "Commission on Human Rights and Administrative Justice (CHRAJ)",
     "https://chraj.gov.gh"},
};
constexpr Avenue kID[] = {
    {K::kInspectorate,
     "Pengawas Ketenagakerjaan: Kementerian Ketenagakerjaan (Kemnaker) dan Dinas Tenaga Kerja "
     "provinsi",
     "https://kemnaker.go.id"},
    {K::kLegalAid, "Lembaga Bantuan Hukum (LBH), Yayasan Lembaga Bantuan Hukum Indonesia (YLBHI)",
     "https://ylbhi.or.id"},
    {K::kUnion, "Serikat pekerja dan konfederasinya (KSPI, KSBSI, KSPSI)", ""},
    {K::kHumanRights, "Komisi Nasional Hak Asasi Manusia (Komnas HAM)",
     "https://www.komnasham.go.id"},
};
constexpr Avenue kKH[] = {
    {K::kInspectorate,
     "Ministry of Labour and Vocational Training (MLVT), Department of Labour Inspection",
     "https://www.mlvt.gov.kh"},
    {K::kOther, "Arbitration Council (collective labour disputes)",
     "https://www.arbitrationcouncil.org"},
    {K::kLegalAid, "Community Legal Education Center (CLEC); Legal Aid of Cambodia (LAC)", ""},
    {K::kUnion, "Cambodian Labour Confederation (CLC) and other federations", ""},
};
constexpr Avenue kMY[] = {
    {K::kInspectorate,
     "Jabatan Tenaga Kerja (JTK) Semenanjung Malaysia, JTK Sabah, JTK Sarawak; Kementerian Sumber "
     "Manusia (KESUMA)",
     "https://jtksm.mohr.gov.my"},
    {K::kLegalAid, "Jabatan Bantuan Guaman (Legal Aid Department); Bar Council Legal Aid Centre",
     "https://www.jbg.gov.my"},
    {K::kUnion, "Malaysian Trades Union Congress (MTUC)", "https://www.mtuc.org.my"},
    {K::kHumanRights, "Suruhanjaya Hak Asasi Manusia Malaysia (SUHAKAM)", "https://suhakam.org.my"},
};
constexpr Avenue kNL[] = {
    {K::kNcp, "Nationaal Contactpunt OESO-richtlijnen (NCP Nederland)",
     "https://www.oesorichtlijnen.nl"},
    {K::kInspectorate, "Nederlandse Arbeidsinspectie", "https://www.nlarbeidsinspectie.nl"},
    {K::kLegalAid, "Het Juridisch Loket: 0900-8020", "https://www.juridischloket.nl"},
    {K::kUnion, "FNV, CNV", "https://www.fnv.nl"},
    {K::kHumanRights, "College voor de Rechten van de Mens", "https://www.mensenrechten.nl"},
};
constexpr Avenue kTH[] = {
    {K::kInspectorate,
     "กรมสวัสดิการและคุ้มครองแรงงาน, Department of Labour Protection and Welfare (Ministry of Labour), "
     "hotline 1546",
     "https://www.labour.go.th"},
    {K::kLegalAid, "สภาทนายความ, Lawyers Council of Thailand (legal aid)",
     "https://www.lawyerscouncil.or.th"},
    {K::kHumanRights, "National Human Rights Commission of Thailand (NHRCT)",
     "https://www.nhrc.or.th"},
};
constexpr Avenue kVN[] = {
    {K::kInspectorate,
     "Thanh tra lao động: Bộ Nội vụ và Sở Nội vụ tỉnh, thành phố (trước đây ngành Lao động – "
     "Thương binh và Xã hội)",
     "https://moha.gov.vn"},
    {K::kUnion, "Tổng Liên đoàn Lao động Việt Nam: công đoàn cơ sở, tư vấn pháp luật miễn phí",
     "https://www.congdoan.vn"},
    {K::kLegalAid, "Trung tâm Trợ giúp pháp lý nhà nước (Bộ Tư pháp)", "https://moj.gov.vn"},
};

// By code, for the lookup.
constexpr CountryAvenues kCountries[] = {
    {"BD", false, kBD}, {"BE", true, kBE},  {"CI", false, kCI}, {"CM", false, kCM},
    {"DE", true, kDE},  {"FR", true, kFR},  {"GB", true, kGB},  {"GH", false, kGH},
    {"ID", false, kID}, {"KH", false, kKH}, {"MY", false, kMY}, {"NL", true, kNL},
    {"TH", false, kTH}, {"VN", false, kVN},
};

}  // namespace

std::string_view to_string(AvenueKind kind) {
  switch (kind) {
    case K::kNcp:
      return "ncp";
    case K::kInspectorate:
      return "inspectorate";
    case K::kLegalAid:
      return "legal_aid";
    case K::kUnion:
      return "union";
    case K::kHumanRights:
      return "human_rights";
    case K::kOther:
      return "other";
  }
  return "other";
}

std::span<const CountryAvenues> avenue_countries() { return kCountries; }

const CountryAvenues* avenues_of(std::string_view country) {
  auto it = std::find_if(std::begin(kCountries), std::end(kCountries),
                         [&](const CountryAvenues& c) { return c.country == country; });
  return it == std::end(kCountries) ? nullptr : &*it;
}

}  // namespace grievance::domain
